// Every limit of SEMANTICS.md and issue 6 is answered with a clear error, and a refused mutation
// changes nothing: query depth, cost and breadth, page sizes, nodes, bulk sizes, segment rules and
// values, contact fields and properties, JSON body size, upload size; and the queries a user is
// shown (GraphiQL's default, the README's examples) fit within the query limits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  type DocumentNode,
  type GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  typeFromAST,
  validate,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { GRAPHIQL_DEFAULT_QUERY } from '../../src/http/graphiql.js';
import { QUERY_LIMITS } from '../../src/graphql/limits.js';
import { schema } from '../../src/graphql/index.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { importContactsGraphql } from '../support/graphql-upload.js';
import { ROOT } from '../support/process.js';
import { type GraphqlResponse, type TestAccount, useService } from '../support/service.js';
import { accountSnapshot } from '../support/snapshot.js';
import { uploadCsv } from '../support/upload.js';

const CREATE_CONTACT = `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { field code message } } }`;
const UPDATE_CONTACT = `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { contact { id } userErrors { field code message } } }`;
const UPSERT = `mutation ($contacts: [CreateContactInput!]!) { upsertContacts(input: { contacts: $contacts }) { created updated userErrors { field code message } } }`;
const DELETE_MANY = `mutation ($ids: [ID!]!) { deleteContacts(input: { ids: $ids }) { deletedContactIds userErrors { field code message } } }`;
const CREATE_SEGMENT = `mutation ($input: CreateSegmentInput!) { createSegment(input: $input) { segment { id } userErrors { field code message } } }`;
const UPDATE_SEGMENT = `mutation ($input: UpdateSegmentInput!) { updateSegment(input: $input) { segment { id } userErrors { field code message } } }`;

type Refusal = { message: string; code: unknown; field?: string[] | null };

/** The one GraphQL error of a response refused as a whole (or in the field asked for). */
function graphqlError(response: GraphqlResponse): Refusal {
  expect(response.status).not.toBe(500);
  expect(response.errors, JSON.stringify(response.data)).toBeDefined();
  const [error] = response.errors!;
  expect(error!.message).not.toBe('Unexpected error.');
  return { message: error!.message, code: error!.extensions?.code };
}

/** A mutation's userError (the payload's object null), for bad input that is no query limit. */
function userError(response: GraphqlResponse, mutation: string): Refusal {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const payload = response.data[mutation];
  expect(payload.userErrors.length, JSON.stringify(payload)).toBeGreaterThan(0);
  for (const key of ['contact', 'segment', 'job']) if (key in payload) expect(payload[key]).toBeNull();
  return payload.userErrors[0];
}

/** A size limit on a mutation's input: a GraphQL error or a LIMIT_EXCEEDED userError both say it clearly. */
function sizeRefusal(response: GraphqlResponse, mutation: string): Refusal {
  if (response.errors) return graphqlError(response);
  const refusal = userError(response, mutation);
  expect(refusal.code).toBe('LIMIT_EXCEEDED');
  return refusal;
}

const keys = (count: number, prefix = 'k') => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, i]));
/** A valid address of exactly `length` characters. */
function emailOf(length: number): string {
  const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(50)}.${'g'.repeat(10)}.com`; // 193 characters
  return `${'l'.repeat(length - domain.length - 1)}@${domain}`;
}

describe.each(DATABASE_KINDS)('limits on %s', (kind) => {
  const service = useService(kind);

  /** Runs a request that must be refused and shows that the account's stored data did not change. */
  async function unchanged<T>(account: TestAccount, request: () => Promise<T>): Promise<T> {
    const prisma = service().service.db.prisma;
    const before = await accountSnapshot(prisma, account.accountId);
    const answer = await request();
    expect(await accountSnapshot(prisma, account.accountId)).toEqual(before);
    return answer;
  }

  /** Makes `count` (at most 1000) new contacts. */
  async function contactIds(account: TestAccount, count: number): Promise<string[]> {
    const contacts = Array.from({ length: count }, () => ({ email: `c${Math.random().toString(36).slice(2)}@example.com` }));
    const answer = await account.gql(
      `mutation ($contacts: [CreateContactInput!]!) { upsertContacts(input: { contacts: $contacts }) { contacts { id } userErrors { code } } }`,
      { contacts },
    );
    expect(answer.data.upsertContacts.userErrors).toEqual([]);
    return answer.data.upsertContacts.contacts.map((contact: { id: string }) => contact.id);
  }

  async function dynamicSegment(account: TestAccount): Promise<string> {
    const answer = await account.gql(CREATE_SEGMENT, {
      input: { name: 'Pros', type: 'DYNAMIC', rules: [{ field: 'properties.plan', operator: 'EQUALS', value: 'pro' }] },
    });
    expect(answer.data.createSegment.userErrors).toEqual([]);
    return answer.data.createSegment.segment.id;
  }

  describe('query depth, cost and breadth', () => {
    const TOO_DEEP = `{ contacts(first: 1) { edges { node { segments(first: 1) { edges { node { contacts(first: 1) { edges { node {
      segments(first: 1) { edges { node { id } } } } } } } } } } } } }`;
    const TOO_COSTLY = `{ contacts(first: 100) { edges { node { id segments(first: 100) { edges { node { id name contactCount } } } } } } }`;

    it('refuses a query deeper than the limit before it runs, saying so', async () => {
      const refusal = graphqlError(await (await service().account()).gql(TOO_DEEP));
      expect(refusal.code).toBe('QUERY_TOO_COMPLEX');
      expect(refusal.message).toMatch(/deep/i);
      expect(refusal.message).toContain(String(QUERY_LIMITS.depth));
    });

    it.each([
      ['contacts of 100 × their segments of 100', TOO_COSTLY],
      [
        'segments of 100 × their contacts of 100',
        '{ segments(first: 100) { edges { node { id contacts(first: 100) { edges { node { id email } } } } } } }',
      ],
      [
        'a contactsPage of 100 × their segments of 100',
        '{ contactsPage(perPage: 100) { contacts { id segments(first: 100) { edges { node { id name } } } } } }',
      ],
      [
        "a segment's contacts of 100 × their segments of 100",
        '{ segments(first: 1) { edges { node { contacts(first: 100) { edges { node { segments(last: 100) { totalCount edges { node { id } } } } } } } } } }',
      ],
    ])('refuses a query that costs more than the limit (%s), saying so', async (_name, query) => {
      const refusal = graphqlError(await (await service().account()).gql(query));
      expect(refusal.code).toBe('QUERY_TOO_COMPLEX');
      expect(refusal.message).toMatch(/cost|complex/i);
      expect(refusal.message).toContain(String(QUERY_LIMITS.complexity));
    });

    it('lets the same nested query run with small pages', async () => {
      const answer = await (await service().account()).gql(TOO_COSTLY.replaceAll('100', '10'));
      expect(answer.errors).toBeUndefined();
    });

    it('refuses a query with too many fields (aliases)', async () => {
      const fields = Array.from({ length: QUERY_LIMITS.breadth + 1 }, (_, i) => `a${i}: contact(email: "x${i}@example.com") { id }`).join(
        ' ',
      );
      const refusal = graphqlError(await (await service().account()).gql(`{ ${fields} }`));
      expect(refusal.code).toBe('QUERY_TOO_COMPLEX');
    });

    it('refuses a too deep or too costly mutation before it runs: nothing is stored', async () => {
      const account = await service().account();
      const deep = `mutation { createContact(input: { email: "deep@example.com" }) { contact { segments(first: 1) { edges { node {
        contacts(first: 1) { edges { node { segments(first: 1) { edges { node { id } } } } } } } } } } } }`;
      const costly = `mutation { upsertContacts(input: { contacts: [{ email: "costly@example.com" }] }) { contacts {
        segments(first: 100) { edges { node { contacts(first: 100) { edges { node { id email } } } } } } } } }`;
      for (const mutation of [deep, costly]) {
        const refusal = graphqlError(await unchanged(account, () => account.gql(mutation)));
        expect(refusal.code).toBe('QUERY_TOO_COMPLEX');
      }
    });

    it("runs GraphiQL's default query", async () => {
      const account = await service().account();
      await contactIds(account, 3);
      const answer = await account.gql(GRAPHIQL_DEFAULT_QUERY);
      expect(answer.errors).toBeUndefined();
      expect(answer.data.contacts.totalCount).toBe(3);
    });
  });

  describe('page sizes', () => {
    it.each([
      ['contacts first 0', '{ contacts(first: 0) { totalCount } }', 'first'],
      ['contacts first 101', '{ contacts(first: 101) { totalCount } }', 'first'],
      ['contacts last 0', '{ contacts(last: 0) { totalCount } }', 'last'],
      ['contacts last 101', '{ contacts(last: 101) { totalCount } }', 'last'],
      ['contactsPage perPage 0', '{ contactsPage(perPage: 0) { pagination { total } } }', 'perPage'],
      ['contactsPage perPage 101', '{ contactsPage(perPage: 101) { pagination { total } } }', 'perPage'],
      ['contactsPage page 0', '{ contactsPage(page: 0) { pagination { total } } }', 'page'],
      ['segments first 101', '{ segments(first: 101) { totalCount } }', 'first'],
      ['segments last 0', '{ segments(last: 0) { totalCount } }', 'last'],
      ['importJobs first 101', '{ importJobs(first: 101) { totalCount } }', 'first'],
      ['importJobs last 101', '{ importJobs(last: 101) { totalCount } }', 'last'],
    ])('%s is a GraphQL error naming the argument', async (_name, query, argument) => {
      const refusal = graphqlError(await (await service().account()).gql(query));
      expect(refusal.message).toContain(argument);
      if (argument !== 'page') expect(refusal.message).toMatch(/100/);
    });

    it('accepts first and perPage of 100, the largest page', async () => {
      const answer = await (
        await service().account()
      ).gql('{ contacts(first: 100) { totalCount } contactsPage(perPage: 100) { pagination { perPage } } }');
      expect(answer.errors).toBeUndefined();
    });

    it('refuses Contact.segments and Segment.contacts pages of 101', async () => {
      const account = await service().account();
      const [contactId] = await contactIds(account, 1);
      const segmentId = await dynamicSegment(account);
      for (const [query, id] of [
        ['query ($id: ID!) { contact(id: $id) { segments(first: 101) { totalCount } } }', contactId],
        ['query ($id: ID!) { segment(id: $id) { contacts(first: 101) { totalCount } } }', segmentId],
        ['query ($id: ID!) { segment(id: $id) { contacts(last: 0) { totalCount } } }', segmentId],
      ]) {
        const refusal = graphqlError(await account.gql(query!, { id }));
        expect(refusal.message).toMatch(/first|last/);
      }
    });

    it('refuses rowErrors(first:) past the 1000 kept errors', async () => {
      const account = await service().account();
      const { body } = await uploadCsv(service().url, account.apiKey, 'email\nnot-an-email\n');
      const refusal = graphqlError(
        await account.gql('query ($id: ID!) { importJob(id: $id) { rowErrors(first: 1001) { line } } }', { id: body.job_id }),
      );
      expect(refusal.message).toContain('1000');
    });

    it('refuses nodes with more than 100 ids, and takes 100', async () => {
      const account = await service().account();
      const ids = await contactIds(account, 101);
      const refusal = graphqlError(await account.gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids }));
      expect(refusal.message).toMatch(/100/);
      const hundred = await account.gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids.slice(0, 100) });
      expect(hundred.errors).toBeUndefined();
      expect(hundred.data.nodes).toHaveLength(100);
    });
  });

  describe('bulk sizes', () => {
    it('refuses upsertContacts of 1001 items and stores none of them; 1000 are taken', async () => {
      const account = await service().account();
      const contacts = Array.from({ length: 1001 }, (_, i) => ({ email: `bulk${i}@example.com` }));
      const refusal = sizeRefusal(await unchanged(account, () => account.gql(UPSERT, { contacts })), 'upsertContacts');
      expect(refusal.message).toContain('1000');
      const thousand = await account.gql(UPSERT, { contacts: contacts.slice(0, 1000) });
      expect(thousand.data.upsertContacts).toMatchObject({ created: 1000, userErrors: [] });
    });

    it('refuses deleteContacts of 1001 ids and deletes none of them', async () => {
      const account = await service().account();
      const ids = [...(await contactIds(account, 1000)), ...(await contactIds(account, 1))];
      const refusal = sizeRefusal(await unchanged(account, () => account.gql(DELETE_MANY, { ids })), 'deleteContacts');
      expect(refusal.message).toContain('1000');
    });
  });

  describe('segment memberships and CSV text', () => {
    it('refuses addContactsToSegment and removeContactsFromSegment of 1001 ids, changing nothing', async () => {
      const account = await service().account();
      const created = await account.gql(CREATE_SEGMENT, { input: { name: 'Static', type: 'STATIC' } });
      const segmentId = created.data.createSegment.segment.id;
      const ids = [...(await contactIds(account, 1000)), ...(await contactIds(account, 1))];
      for (const mutation of ['addContactsToSegment', 'removeContactsFromSegment']) {
        const query = `mutation ($input: SegmentMembershipInput!) { ${mutation}(input: $input) { segment { id } userErrors { field code message } } }`;
        const refusal = sizeRefusal(
          await unchanged(account, () => account.gql(query, { input: { segmentId, contactIds: ids } })),
          mutation,
        );
        expect(refusal.message).toContain('1000');
      }
    });

    it('exports contacts at the 100-property limit, with a column for every key of every contact', async () => {
      const account = await service().account();
      const wide = [
        { email: 'wide1@example.com', properties: keys(100, 'a') },
        { email: 'wide2@example.com', properties: keys(100, 'b') },
      ];
      expect((await account.gql(UPSERT, { contacts: wide })).data.upsertContacts).toMatchObject({ created: 2, userErrors: [] });
      const csv = await account.gql('{ contactsCsv }');
      expect(csv.errors).toBeUndefined();
      const response = await fetch(`${service().url}/contacts/export`, { headers: { authorization: `Bearer ${account.apiKey}` } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toBe(csv.data.contactsCsv);
      expect(text.split('\n')[0]!.split(',')).toHaveLength(7 + 200);
    });

    it('refuses contactsCsv past 10,000 contacts, pointing at GET /contacts/export', async () => {
      const account = await service().account();
      const rows = Array.from({ length: 10_001 }, (_, i) => `csv${i}@example.com`).join('\n');
      expect((await uploadCsv(service().url, account.apiKey, `email\n${rows}\n`)).body).toMatchObject({ imported: 10_001 });
      const refusal = graphqlError(await account.gql('{ contactsCsv }'));
      expect(refusal.code).toBe('LIMIT_EXCEEDED');
      expect(refusal.message).toContain('/contacts/export');
    });
  });

  describe('segments', () => {
    const rule = (i: number) => ({ field: `properties.k${i}`, operator: 'EQUALS', value: String(i) });

    it('refuses a segment of 51 rules (create and update) and takes 50', async () => {
      const account = await service().account();
      const created = userError(
        await unchanged(account, () =>
          account.gql(CREATE_SEGMENT, { input: { name: 'Many', type: 'DYNAMIC', rules: Array.from({ length: 51 }, (_, i) => rule(i)) } }),
        ),
        'createSegment',
      );
      expect(created).toMatchObject({ code: 'LIMIT_EXCEEDED', field: ['input', 'rules'] });
      expect(created.message).toContain('50');

      const fifty = await account.gql(CREATE_SEGMENT, {
        input: { name: 'Fifty', type: 'DYNAMIC', rules: Array.from({ length: 50 }, (_, i) => rule(i)) },
      });
      expect(fifty.data.createSegment.userErrors).toEqual([]);
      const id = fifty.data.createSegment.segment.id;
      const updated = userError(
        await unchanged(account, () =>
          account.gql(UPDATE_SEGMENT, { input: { id, rules: Array.from({ length: 51 }, (_, i) => rule(i)) } }),
        ),
        'updateSegment',
      );
      expect(updated).toMatchObject({ code: 'LIMIT_EXCEEDED', field: ['input', 'rules'] });
    });

    it('refuses IN with 501 values and takes 500', async () => {
      const account = await service().account();
      const inRule = (count: number) => ({
        field: 'email',
        operator: 'IN',
        values: Array.from({ length: count }, (_, i) => `v${i}@example.com`),
      });
      const refusal = userError(
        await unchanged(account, () => account.gql(CREATE_SEGMENT, { input: { name: 'Big IN', type: 'DYNAMIC', rules: [inRule(501)] } })),
        'createSegment',
      );
      expect(refusal.code).toBe('LIMIT_EXCEEDED');
      expect(refusal.field?.slice(0, 3)).toEqual(['input', 'rules', '0']);
      expect(refusal.message).toContain('500');
      const ok = await account.gql(CREATE_SEGMENT, { input: { name: 'IN 500', type: 'DYNAMIC', rules: [inRule(500)] } });
      expect(ok.data.createSegment.userErrors).toEqual([]);
    });
  });

  describe('contact fields', () => {
    it.each([
      ['101 properties', { email: 'p@example.com', properties: keys(101) }, 'LIMIT_EXCEEDED', ['input', 'properties'], /100/],
      [
        'a value of 2001 characters',
        { email: 'p@example.com', properties: { note: 'x'.repeat(2001) } },
        'TOO_LONG',
        ['input', 'properties', 'note'],
        /2000/,
      ],
      [
        'a key of 65 characters',
        { email: 'p@example.com', properties: { ['k'.repeat(65)]: 1 } },
        'INVALID',
        ['input', 'properties', 'k'.repeat(65)],
        /64/,
      ],
      ['an email of 255 characters', { email: emailOf(255) }, 'TOO_LONG', ['input', 'email'], /254/],
      ['a first name of 201 characters', { email: 'p@example.com', firstName: 'f'.repeat(201) }, 'TOO_LONG', ['input', 'firstName'], /200/],
      [
        'a last name of 201 characters',
        { email: 'p@example.com', lastName: ' '.repeat(3) + 'l'.repeat(201) },
        'TOO_LONG',
        ['input', 'lastName'],
        /200/,
      ],
    ])('createContact refuses %s and stores nothing', async (_name, input, code, field, limit) => {
      const account = await service().account();
      const refusal = userError(await unchanged(account, () => account.gql(CREATE_CONTACT, { input })), 'createContact');
      expect(refusal).toMatchObject({ code, field });
      expect(refusal.message).toMatch(limit);
    });

    it('createContact takes every field at its limit (trimmed names count without their spaces)', async () => {
      const account = await service().account();
      const input = {
        email: `  ${emailOf(254).toUpperCase()}  `,
        firstName: `  ${'f'.repeat(200)}  `,
        lastName: 'l'.repeat(200),
        properties: { ...keys(99), ['k'.repeat(64)]: 'v'.repeat(2000) },
      };
      const answer = await account.gql(CREATE_CONTACT, { input });
      expect(answer.data.createContact.userErrors).toEqual([]);
      const stored = await service().service.db.prisma.contact.findUniqueOrThrow({ where: { id: answer.data.createContact.contact.id } });
      expect(stored.email).toBe(emailOf(254));
      expect(stored.firstName).toBe('f'.repeat(200));
      expect(Object.keys(stored.properties as object)).toHaveLength(100);
    });

    it('updateContact refuses a merge past 100 properties, and over-long fields, changing nothing', async () => {
      const account = await service().account();
      const created = await account.gql(CREATE_CONTACT, { input: { email: 'u@example.com', properties: keys(60, 'a') } });
      const id = created.data.createContact.contact.id;
      const merged = userError(
        await unchanged(account, () => account.gql(UPDATE_CONTACT, { input: { id, properties: keys(41, 'b') } })),
        'updateContact',
      );
      expect(merged).toMatchObject({ code: 'LIMIT_EXCEEDED', field: ['input', 'properties'] });
      for (const input of [
        { id, firstName: 'f'.repeat(201) },
        { id, email: emailOf(255) },
        { id, properties: { a0: 'x'.repeat(2001) } },
      ]) {
        userError(await unchanged(account, () => account.gql(UPDATE_CONTACT, { input })), 'updateContact');
      }
      // Removing keys while adding as many stays within the limit.
      const swap = await account.gql(UPDATE_CONTACT, {
        input: { id, properties: { ...keys(40, 'b'), ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`a${i}`, null])) } },
      });
      expect(swap.data.updateContact.userErrors).toEqual([]);
    });

    it('upsertContacts refuses each over-limit item where it is and applies the rest', async () => {
      const account = await service().account();
      const answer = await account.gql(UPSERT, {
        contacts: [
          { email: 'ok@example.com' },
          { email: 'many@example.com', properties: keys(101) },
          { email: emailOf(255) },
          { email: 'long@example.com', lastName: 'l'.repeat(201) },
          { email: 'value@example.com', properties: { v: 'x'.repeat(2001) } },
        ],
      });
      expect(answer.errors).toBeUndefined();
      const { created, updated, userErrors } = answer.data.upsertContacts;
      expect({ created, updated }).toEqual({ created: 1, updated: 0 });
      expect(userErrors.map((error: Refusal) => [error.code, error.field?.slice(0, 4)])).toEqual([
        ['LIMIT_EXCEEDED', ['input', 'contacts', '1', 'properties']],
        ['TOO_LONG', ['input', 'contacts', '2', 'email']],
        ['TOO_LONG', ['input', 'contacts', '3', 'lastName']],
        ['TOO_LONG', ['input', 'contacts', '4', 'properties']],
      ]);
      const stored = await service().service.db.prisma.contact.findMany({ where: { accountId: account.accountId } });
      expect(stored.map((contact) => contact.email)).toEqual(['ok@example.com']);
    });

    it('an import rejects each over-limit row with its line and a reason, and imports the rest', async () => {
      const account = await service().account();
      const rows = [
        'email,first_name,note',
        'fine@example.com,Fine,ok',
        `${emailOf(255)},Long,ok`,
        `name@example.com,${'n'.repeat(201)},ok`,
        `value@example.com,Value,${'v'.repeat(2001)}`,
      ];
      const { status, body } = await uploadCsv(service().url, account.apiKey, `${rows.join('\n')}\n`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ imported: 1, updated: 0, errors: 3 });
      const job = await account.gql('query ($id: ID!) { importJob(id: $id) { rowErrors { line message } } }', { id: body.job_id });
      const errors = job.data.importJob.rowErrors as { line: number; message: string }[];
      expect(errors.map((error) => error.line)).toEqual([3, 4, 5]);
      expect(errors[0]!.message).toMatch(/254/);
      expect(errors[1]!.message).toMatch(/200/);
      expect(errors[2]!.message).toMatch(/2000/);
      const headerWide = `email,${Object.keys(keys(101)).join(',')}\nwide@example.com,${Array(101).fill('1').join(',')}\n`;
      const wide = await uploadCsv(service().url, account.apiKey, headerWide);
      expect(wide.status).not.toBe(500);
      expect(wide.body.imported).toBe(0);
      expect(await service().service.db.prisma.contact.count({ where: { accountId: account.accountId, email: 'wide@example.com' } })).toBe(
        0,
      );
    });
  });

  describe('request bodies', () => {
    const MB = 1024 * 1024;

    async function postBody(account: TestAccount, body: BodyInit, headers: Record<string, string> = {}) {
      const response = await fetch(`${service().url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${account.apiKey}`, ...headers },
        body,
        duplex: 'half',
      } as RequestInit);
      return { status: response.status, text: await response.text() };
    }
    const bigQuery = (bytes: number) =>
      JSON.stringify({ query: 'query ($e: String!) { contact(email: $e) { id } }', variables: { e: `${'x'.repeat(bytes)}@example.com` } });

    it('answers a JSON body over 1 MB with 413 and a message naming the limit', async () => {
      const account = await service().account();
      const { status, text } = await postBody(account, bigQuery(MB + 10));
      expect(status).toBe(413);
      const body = JSON.parse(text) as GraphqlResponse;
      expect(body.errors?.[0]?.message).toMatch(/too large/i);
      expect(body.errors?.[0]?.message).toContain(String(MB));
    });

    it('answers a JSON body over 1 MB sent without a length (chunked) with 413 too', async () => {
      const account = await service().account();
      const bytes = new TextEncoder().encode(bigQuery(MB + 10));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.slice(at, at + 64 * 1024));
          controller.close();
        },
      });
      const { status, text } = await postBody(account, stream);
      expect(status).toBe(413);
      expect(text).toMatch(/too large/i);
    });

    it('takes a JSON body just under 1 MB', async () => {
      const account = await service().account();
      const { status, text } = await postBody(account, bigQuery(MB - 1000));
      expect(status).toBe(200);
      expect(JSON.parse(text)).toEqual({ data: { contact: null } });
    });
  });
});

describe.each(DATABASE_KINDS)('upload size limit (MAX_UPLOAD_BYTES = 4096) on %s', (kind) => {
  const LIMIT = 4096;
  const service = useService(kind, { maxUploadBytes: LIMIT });
  const lines = ['email,first_name', ...Array.from({ length: 600 }, (_, i) => `big${i}@example.com,Big`)];
  const file = `${lines.join('\n')}\n`; // about 14 KB
  /** The emails of rows that end within the first `LIMIT` bytes: the only ones that may be stored. */
  const withinLimit = new Set<string>();
  for (let at = 0, i = 0; i < lines.length; i++) {
    at += Buffer.byteLength(lines[i]!) + 1;
    if (at <= LIMIT && i > 0) withinLimit.add(lines[i]!.split(',')[0]!);
  }

  async function storedEmails(accountId: string): Promise<string[]> {
    const rows = await service().service.db.prisma.contact.findMany({ where: { accountId }, select: { email: true } });
    return rows.map((row) => row.email);
  }

  it('POST /contacts/import: refuses a larger file with 413 and a message naming the limit; nothing past it is stored', async () => {
    const account = await service().account();
    const { status, body } = await uploadCsv(service().url, account.apiKey, file);
    expect(status).toBe(413);
    expect(body.errors).toMatchObject([{ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/MAX_UPLOAD_BYTES|4096/) }]);
    expect((await storedEmails(account.accountId)).filter((email) => !withinLimit.has(email))).toEqual([]);
    const job = await account.gql('query ($id: ID!) { importJob(id: $id) { status } }', { id: body.job_id });
    expect(job.data.importJob.status).toBe('FAILED');
  });

  it('importContacts: refuses a larger file with a clear error; nothing past it is stored', async () => {
    const account = await service().account();
    const answer = await importContactsGraphql(service().url, account.apiKey, file);
    expect(answer.status).not.toBe(500);
    const message = answer.errors ? answer.errors[0]!.message : answer.data.importContacts.userErrors[0]?.message;
    expect(message).toBeDefined();
    expect(message).not.toBe('Unexpected error.');
    expect(message).toMatch(/MAX_UPLOAD_BYTES|4096|too large|limit/i);
    expect((await storedEmails(account.accountId)).filter((email) => !withinLimit.has(email))).toEqual([]);
  });

  it('takes a file within the limit, through both ways in', async () => {
    const account = await service().account();
    const small = `${lines.slice(0, 50).join('\n')}\n`;
    expect((await uploadCsv(service().url, account.apiKey, small)).body).toMatchObject({ imported: 49, errors: 0 });
    const answer = await importContactsGraphql(service().url, account.apiKey, small);
    expect(answer.data.importContacts.job).toMatchObject({ status: 'COMPLETED', updated: 49 });
  });
});

describe('the queries shown to users fit within the query limits', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const cases: [string, string][] = [
    ['GraphiQL default query', GRAPHIQL_DEFAULT_QUERY],
    ...examples.map((query, i): [string, string] => [`README example ${i + 1}`, query]),
  ];

  it.each(cases)('%s is valid and within the depth, breadth and cost limits', (_name, query) => {
    const document = parse(query);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    for (const operation of operations(document)) {
      const result = complexityFromQuery(operation, { schema, variables: placeholders(operation) });
      expect(result.depth).toBeLessThanOrEqual(QUERY_LIMITS.depth);
      expect(result.breadth).toBeLessThanOrEqual(QUERY_LIMITS.breadth);
      expect(result.complexity).toBeLessThanOrEqual(QUERY_LIMITS.complexity);
    }
  });
});

/** One document per operation, each with all the fragments. */
function operations(document: DocumentNode): DocumentNode[] {
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  return document.definitions
    .filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ ...document, definitions: [operation, ...fragments] }));
}

/** Values for an example's required variables, so that its cost can be measured. */
function placeholders(document: DocumentNode): Record<string, unknown> {
  const operation = document.definitions[0]!;
  if (operation.kind !== Kind.OPERATION_DEFINITION) return {};
  const sample = (type: GraphQLInputType): unknown => {
    if (isNonNullType(type)) return sample(type.ofType);
    if (isListType(type)) return [sample(type.ofType)];
    if (isEnumType(type)) return type.getValues()[0]!.value;
    if (isInputObjectType(type)) {
      return Object.fromEntries(
        Object.values(type.getFields())
          .filter((field) => isNonNullType(field.type))
          .map((field) => [field.name, sample(field.type)]),
      );
    }
    return { Int: 20, Float: 1, Boolean: true, JSONObject: {}, DateTime: '2026-01-01T00:00:00.000Z', Upload: null }[type.name] ?? 'x';
  };
  return Object.fromEntries(
    (operation.variableDefinitions ?? [])
      .filter((definition) => definition.type.kind === Kind.NON_NULL_TYPE && !definition.defaultValue)
      .map((definition) => [definition.variable.name.value, sample(typeFromAST(schema, definition.type as never) as GraphQLInputType)]),
  );
}
