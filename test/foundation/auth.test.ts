import { describe, expect, it } from 'vitest';
import { createKey, revokeKey } from '../../src/core/accounts/service.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { graphql, useService } from '../support/service.js';

const NODE = 'query ($id: ID!) { node(id: $id) { id } }';

describe.each(DATABASE_KINDS)('accounts and keys on %s', (kind) => {
  const service = useService(kind);

  it('answers 401 UNAUTHENTICATED without a key', async () => {
    const response = await graphql(service().url, '{ __typename }');
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 for an unknown key and for a malformed header', async () => {
    const unknown = await graphql(service().url, '{ __typename }', {}, `sk_live_${'x'.repeat(40)}`);
    expect(unknown.status).toBe(401);
    const response = await fetch(`${service().url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic abc' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(401);
  });

  it('answers 401 for a revoked key, and the account other keys still work', async () => {
    const account = await service().account();
    expect((await account.gql('{ __typename }')).status).toBe(200);
    const db = service().service.db;
    const second = await createKey(db, account.accountId);
    expect(await revokeKey(db, account.apiKey.slice(0, 16))).toMatchObject({ revoked: expect.stringMatching(/^key_/) });
    expect((await account.gql('{ __typename }')).status).toBe(401);
    expect((await graphql(service().url, '{ __typename }', {}, second!.apiKey)).status).toBe(200);
  });

  it('stores keys only as hashes', async () => {
    const account = await service().account();
    const rows = await service().service.db.prisma.apiKey.findMany({ where: { accountId: account.accountId } });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(account.apiKey);
    expect(account.apiKey).toMatch(/^sk_live_[A-Za-z0-9]{32,}$/);
  });

  it("never shows one account's node to another, answering as for an unknown ID", async () => {
    const a = await service().account('A');
    const b = await service().account('B');
    const contact = await service().service.db.prisma.contact.create({
      data: { id: 'ct_bbbbbbbbbbbbbbbbbbbb', accountId: b.accountId, email: 'secret@b.example' },
    });
    expect((await b.gql(NODE, { id: contact.id })).data).toEqual({ node: { id: contact.id } });
    expect(await a.gql(NODE, { id: contact.id })).toEqual({ status: 200, data: { node: null } });
    expect(await a.gql(NODE, { id: 'ct_cccccccccccccccccccc' })).toEqual({ status: 200, data: { node: null } });
    const nodes = await a.gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [contact.id, 'nope', 'seg_aaaaaaaaaaaaaaaaaaaa'],
    });
    expect(nodes.data).toEqual({ nodes: [null, null, null] });
  });

  it('serves GraphiQL to a browser without a key', async () => {
    const response = await fetch(`${service().url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('Authorization');
    expect(page).toContain('contacts(first: 10)');
  });
});
