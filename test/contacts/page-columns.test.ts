// A page of contacts reads the columns its selection needs, and answers as if it read them all.
import { type GraphQLObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/index.js';
import { CONTACT_FIELD_READS } from '../../src/graphql/contact-node.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { requestStatements } from '../support/statements.js';
import { type TestAccount, useService } from '../support/service.js';
import { CONTACT_FIELDS, createContact } from './helpers.js';

/** Selections of a page's nodes, each with the fields it must answer. */
const SELECTIONS: { name: string; query: (nodes: string) => string; fields: string[] }[] = [
  ...CONTACT_FIELDS.split(' ').map((field) => ({
    name: `${field} alone`,
    query: (nodes: string) => nodes.replace('$', field),
    fields: [field],
  })),
  {
    name: 'fields through a named and an inline fragment, aliased',
    query: (nodes) => `${nodes.replace('$', '...F ... on Contact { when: updatedAt }')} fragment F on Contact { email properties }`,
    fields: ['email', 'properties', 'when'],
  },
  { name: 'a field skipped by a directive', query: (nodes) => nodes.replace('$', 'email createdAt @skip(if: true)'), fields: ['email'] },
];

describe.each(DATABASE_KINDS)('a page of contacts on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  let whole: Map<string, Record<string, unknown>>;
  const statements: string[] = [];

  beforeAll(async () => {
    service().service.db.onStatement((sql) => statements.push(sql));
    account = await service().account();
    // One at a time, so that each has a time of its own; in no order of email.
    for (const i of [3, 0, 5, 1, 4, 2]) {
      await createContact(account, {
        email: `p${i}@example.com`,
        firstName: i % 2 ? 'Pat' : null,
        properties: { i },
        unsubscribed: i % 3 === 0,
      });
    }
    // The same contacts as the Prisma client reads them, whole.
    const page = await account.gql('{ contacts(first: 10) { edges { node { id } } } }');
    const ids = page.data.contacts.edges.map((edge: { node: { id: string } }) => edge.node.id);
    const nodes = await account.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Contact { ${CONTACT_FIELDS} } } }`, { ids });
    whole = new Map(nodes.data.nodes.map((node: Record<string, unknown>) => [node.id, node]));
  });

  it.each(['CREATED_AT', 'UPDATED_AT', 'EMAIL'])(
    'answers every selection as whole contacts would, in the order %s, cursors included',
    async (field) => {
      for (const { name, query, fields } of SELECTIONS) {
        const nodes = `{ contacts(first: 4, orderBy: { field: ${field}, direction: ASC }) {
        pageInfo { endCursor } edges { cursor node { id: id $ } } } }`;
        const response = await account.gql(query(nodes));
        expect(response.errors, name).toBeUndefined();
        const { edges, pageInfo } = response.data.contacts;
        expect(edges, name).toHaveLength(4);
        for (const { node } of edges) {
          const expected = whole.get(node.id)!;
          for (const answered of fields)
            expect(node[answered], `${name}: ${answered}`).toEqual(expected[answered === 'when' ? 'updatedAt' : answered]);
        }
        const next = await account.gql(`{ contacts(first: 1, after: "${pageInfo.endCursor}", orderBy: { field: ${field}, direction: ASC }) {
        edges { node { id } } } }`);
        const all = await account.gql(`{ contacts(first: 5, orderBy: { field: ${field}, direction: ASC }) { edges { node { id } } } }`);
        expect(next.data.contacts.edges[0].node.id, `${name}: the page after the cursor`).toBe(all.data.contacts.edges[4].node.id);
      }
    },
  );

  it('reads neither properties nor timestamps for a page of ids, emails and names, and reads each group when it is selected', async () => {
    const pageStatement = async (selection: string) => {
      statements.length = 0;
      const response = await account.gql(`{ contacts(first: 3) { edges { node { ${selection} } } } }`);
      expect(response.errors).toBeUndefined();
      const [page, ...others] = requestStatements(statements);
      expect(others).toEqual([]);
      return page!;
    };
    const slim = await pageStatement('id email firstName lastName');
    expect(slim).not.toMatch(/properties|updated_at|unsubscribed_at/);
    expect(slim).toMatch(/c\.created_at AS "createdAt"/); // the order's own column: the cursors' position
    expect(await pageStatement('email properties')).toMatch(/c\.properties/);
    expect(await pageStatement('email updatedAt')).toMatch(/c\.unsubscribed_at .*c\.updated_at/s);
  });

  it('reads whole contacts for a node field it does not know (here, none exists: the map holds every field of Contact)', () => {
    const contact = schema.getType('Contact') as GraphQLObjectType;
    expect(Object.keys(CONTACT_FIELD_READS).filter((field) => field !== '__typename')).toEqual(
      expect.arrayContaining(Object.keys(contact.getFields())),
    );
    expect(Object.keys(contact.getFields())).toHaveLength(Object.keys(CONTACT_FIELD_READS).length - 1);
  });
});
