// A document answers the same whether it runs on the general executor (its first execution) or
// compiled (from its second on; src/http/compiled-execution.ts): data, errors, codes and status.
import { isCompiledQuery, compileQuery } from 'graphql-jit';
import { parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPILE_AT_EXECUTION } from '../../src/http/compiled-execution.js';
import { schema } from '../../src/graphql/index.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';

const CONTACT = 'id email firstName lastName properties unsubscribed unsubscribedAt createdAt updatedAt __typename';

/** Read-only documents, and mutations refused the same way every time, covering each kind of answer. */
const DOCUMENTS: { name: string; query: string; variables?: Record<string, unknown>; operationName?: string }[] = [
  {
    name: 'a page with cursors, page info and count, by variables',
    query: `query Page($first: Int, $after: String) { contacts(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { ${CONTACT} } } } }`,
    variables: { first: 2 },
  },
  {
    name: 'a search, a filter and an order',
    query: `{ contacts(first: 5, search: "ada", subscribed: true, orderBy: { field: EMAIL, direction: ASC }) { edges { node { email } } } }`,
  },
  {
    name: 'nodes of each type through fragments, an unknown ID and another type’s prefix',
    query: `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ...C ... on Segment { name type match rules { field operator value values } contactCount } } }
      fragment C on Contact { email segments(first: 3) { totalCount edges { node { id name } } } }`,
  },
  {
    name: 'a segment’s members, and a contact by email',
    query: `query One($email: String!) { contact(email: $email) { email } segments(first: 5) { edges { node { name contacts(first: 5) { totalCount edges { node { email } } } } } } }`,
    variables: { email: 'ada@example.com' },
  },
  {
    name: 'a field error beside data (a NUL in an argument)',
    query: `{ ok: contacts(first: 1) { totalCount } bad: contact(email: "a\\u0000b") { id } }`,
  },
  { name: 'an argument past its limit', query: `{ contacts(first: 101) { totalCount } }` },
  {
    name: 'a cursor of no list',
    query: `query ($after: String) { contacts(first: 1, after: $after) { totalCount } }`,
    variables: { after: 'not-a-cursor' },
  },
  {
    name: 'a too costly query',
    query: `{ contacts(first: 100) { edges { node { segments(first: 100) { edges { node { contacts(first: 100) { totalCount } } } } } } } }`,
  },
  {
    name: 'a variable that does not coerce',
    query: `query ($first: Int) { contacts(first: $first) { totalCount } }`,
    variables: { first: 'ten' },
  },
  { name: 'an operation name of no operation', query: `query A { __typename } query B { __typename }`, operationName: 'C' },
  { name: 'introspection of a type', query: `{ __type(name: "Contact") { name fields { name type { kind name ofType { name } } } } }` },
  {
    name: 'a mutation refused with user errors',
    query: `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { field message code } } }`,
    variables: { input: { email: 'not an email' } },
  },
  {
    name: 'a bulk mutation refused for its bad items',
    query: `mutation ($input: UpsertContactsInput!) { upsertContacts(input: $input) { created updated contacts { id } userErrors { field message code } } }`,
    variables: { input: { contacts: [{ email: 'bad' }, { email: 'x@example.com', properties: { 'a b': 1 } }] } },
  },
];

describe('documents that compile', () => {
  it.each(DOCUMENTS.filter((d) => d.operationName === undefined))('$name', ({ query }) => {
    expect(isCompiledQuery(compileQuery(schema, parse(query)))).toBe(true);
  });
});

describe.each(DATABASE_KINDS)('compiled execution on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  const variablesOf: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    account = await service().account();
    const created = await account.gql(`mutation ($input: UpsertContactsInput!) { upsertContacts(input: $input) { contacts { id } } }`, {
      input: {
        contacts: [
          { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', properties: { plan: 'enterprise', seats: 3 } },
          { email: 'grace@example.com', firstName: 'Grace', properties: {} },
          { email: 'alan@example.com', unsubscribed: true },
        ],
      },
    });
    const ids: string[] = created.data.upsertContacts.contacts.map((contact: { id: string }) => contact.id);
    const segment = await account.gql(
      `mutation { createSegment(input: { name: "Enterprise", type: DYNAMIC, rules: [{ field: "properties.plan", operator: EQUALS, value: "enterprise" }] }) { segment { id } } }`,
    );
    variablesOf['nodes of each type through fragments, an unknown ID and another type’s prefix'] = {
      ids: [ids[0], segment.data.createSegment.segment.id, 'ct_00000000000000000000', 'imp_unknown', 'nonsense'],
    };
  });

  it.each(DOCUMENTS)('$name', async ({ name, query, variables, operationName }) => {
    const body = JSON.stringify({ query, variables: variables ?? variablesOf[name], operationName });
    const answers = [];
    for (let execution = 1; execution <= COMPILE_AT_EXECUTION + 1; execution++) {
      const response = await fetch(`${service().url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${account.apiKey}` },
        body,
      });
      answers.push({ status: response.status, body: await response.json() });
    }
    const [general, ...compiled] = answers;
    for (const answer of compiled) expect(answer).toEqual(general);
  });
});
