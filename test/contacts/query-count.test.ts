// No N+1: what one request costs in SQL statements does not grow with the number of contacts.
import { beforeAll, describe, expect, it } from 'vitest';
import { VERIFIED_KEY_TTL_MS } from '../../src/core/accounts/verified-keys.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { isKeyLookup, requestStatements } from '../support/statements.js';
import type { TestAccount } from '../support/service.js';
import { useService } from '../support/service.js';
import { postCsv } from '../import/helpers.js';
import { CONTACT_FIELDS, createContacts } from './helpers.js';

describe.each(DATABASE_KINDS)('SQL statements per request on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  let ids: string[];

  const statements: string[] = [];

  /** The statements (BEGIN and COMMIT aside) that one call of fn makes the service run. */
  async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
    statements.length = 0;
    await fn();
    expect(statements.length, 'the query events reach the test').toBeGreaterThan(0);
    return requestStatements(statements);
  }

  beforeAll(async () => {
    // Every statement: Prisma's and the driver's (set-based writes run on the driver).
    service().service.db.onStatement((sql) => statements.push(sql));
    account = await service().account();
    await createContacts(
      account,
      Array.from({ length: 150 }, (_, i) => ({
        email: `n${i}@example.com`,
        firstName: 'N',
        lastName: String(i),
        properties: { i, plan: 'pro' },
      })),
    );
    const page = await account.gql('{ contacts(first: 100) { edges { node { id } } } }');
    ids = page.data.contacts.edges.map((edge: { node: { id: string } }) => edge.node.id);
  });

  it('looks a key up once, not on every request: a key checked a moment ago is remembered (verified-keys.ts)', async () => {
    const query = '{ contacts(first: 1) { edges { node { id } } } }';
    await new Promise((resolve) => setTimeout(resolve, VERIFIED_KEY_TTL_MS)); // forgotten since beforeAll
    await statementsOf(() => account.gql(query));
    expect(statements.filter(isKeyLookup)).toHaveLength(1);
    await statementsOf(() => account.gql(query));
    expect(statements.filter(isKeyLookup)).toEqual([]);
  });

  it('lists 100 contacts with every field and the total in 3 statements at most (auth, page, count)', async () => {
    let response: any;
    const statements = await statementsOf(async () => {
      response = await account.gql(`{ contacts(first: 100, search: "example") {
        edges { cursor node { ${CONTACT_FIELDS} } } pageInfo { hasNextPage endCursor } totalCount } }`);
    });
    expect(response.data.contacts.edges).toHaveLength(100);
    expect(response.data.contacts.totalCount).toBe(150);
    expect(statements.length).toBeLessThanOrEqual(3);
  });

  it("adds a bounded number of statements for every contact's segments", async () => {
    for (const input of [
      { name: 'Static', type: 'STATIC' },
      { name: 'Pro', type: 'DYNAMIC', rules: [{ field: 'properties.plan', operator: 'EQUALS', value: 'pro' }] },
    ]) {
      const created = await account.gql('mutation ($input: CreateSegmentInput!) { createSegment(input: $input) { userErrors { code } } }', {
        input,
      });
      expect(created.data.createSegment.userErrors).toEqual([]);
    }
    let response: any;
    const statements = await statementsOf(async () => {
      response = await account.gql(
        `{ contacts(first: 100) { edges { node { ${CONTACT_FIELDS} segments { edges { node { name } } totalCount } } } } }`,
      );
    });
    expect(response.errors).toBeUndefined();
    expect(response.data.contacts.edges[0].node.segments.edges.map((edge: { node: { name: string } }) => edge.node.name)).toEqual(['Pro']);
    expect(statements.length).toBeLessThanOrEqual(6);
  });

  it('pages by number with the same cost', async () => {
    let response: any;
    const statements = await statementsOf(async () => {
      response = await account.gql(
        `{ contactsPage(perPage: 100, page: 2) { contacts { ${CONTACT_FIELDS} } pagination { total totalPages } } }`,
      );
    });
    expect(response.data.contactsPage.contacts).toHaveLength(50);
    expect(statements.length).toBeLessThanOrEqual(3);
  });

  it('loads nodes(ids) of 100 contacts in a bounded number of statements', async () => {
    let response: any;
    const statements = await statementsOf(async () => {
      response = await account.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Contact { ${CONTACT_FIELDS} } } }`, { ids });
    });
    expect(response.data.nodes.filter(Boolean)).toHaveLength(100);
    expect(statements.length).toBeLessThanOrEqual(3);
  });

  it('upserts 1000 contacts in a handful of statements', async () => {
    let response: any;
    const items = Array.from({ length: 1000 }, (_, i) => ({ email: `n${i}@example.com`, properties: { seen: true } }));
    const statements = await statementsOf(async () => {
      response = await account.gql(
        `mutation ($input: UpsertContactsInput!) { upsertContacts(input: $input) { created updated contacts { ${CONTACT_FIELDS} } } }`,
        { input: { contacts: items } },
      );
    });
    expect(response.data.upsertContacts).toMatchObject({ created: 850, updated: 150 });
    expect(statements.length).toBeLessThanOrEqual(5);
  });

  it('imports 1000 rows in the statements 10 take: one set-based batch, counted on the driver too', async () => {
    const file = (prefix: string, rows: number) =>
      `email,plan\n${Array.from({ length: rows }, (_, i) => `${prefix}${i}@example.com,pro`).join('\n')}\n`;
    const small = await statementsOf(() => postCsv(service(), account.apiKey, file('ten', 10)));
    const large = await statementsOf(() => postCsv(service(), account.apiKey, file('thousand', 1000)));
    expect(large.filter((sql) => /INSERT INTO contacts/i.test(sql))).toHaveLength(1);
    expect(large.length).toBe(small.length);
  });
});
