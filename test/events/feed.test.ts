// EVENTS.md "The feed": GraphQL events(first, after, types, contactId) and REST GET /events page
// an account's events oldest first, each once, in commit order, even while writers commit out of
// order; cursors older than EVENT_RETENTION_DAYS are refused, saying so.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/db/generated/prisma/client.js';
import type { RawSql } from '../../src/db/transaction.js';
import { writeEvents } from '../../src/core/events/service.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestService, type TestAccount, type TestService, useService } from '../support/service.js';
import { rest } from '../rest/helpers.js';
import { eventPage, feedReader } from './helpers.js';

const CREATE = `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { code } } }`;
const FEED = `query ($first: Int, $after: String, $types: [EventType!], $contactId: ID) {
  events(first: $first, after: $after, types: $types, contactId: $contactId) {
    edges { cursor node { id type createdAt source apiKeyPrefix importJobId payload } }
    pageInfo { hasNextPage endCursor } } }`;

describe.each(DATABASE_KINDS)('the events feed on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  const ids: string[] = [];

  beforeAll(async () => {
    account = await service().account();
    for (const n of [1, 2, 3]) {
      const answer = await account.gql(CREATE, { input: { email: `c${n}@example.com` } });
      ids.push(answer.data.createContact.contact.id);
    }
    await account.gql(`mutation ($id: ID!) { updateContact(input: { id: $id, firstName: "Two" }) { contact { id } } }`, { id: ids[1] });
    await feedReader(service(), account)(4);
  });

  it('pages in GraphQL with first/after, filters by types and contactId; payload is the REST body; node(id) loads an event', async () => {
    const first = await account.gql(FEED, { first: 3 });
    expect(first.errors).toBeUndefined();
    expect(first.data.events.edges.map((edge: any) => edge.node.type)).toEqual(['CONTACT_CREATED', 'CONTACT_CREATED', 'CONTACT_CREATED']);
    expect(first.data.events.pageInfo).toEqual({ hasNextPage: true, endCursor: first.data.events.edges[2].cursor });
    const second = await account.gql(FEED, { first: 3, after: first.data.events.pageInfo.endCursor });
    expect(second.data.events.edges.map((edge: any) => edge.node.type)).toEqual(['CONTACT_UPDATED']);
    expect(second.data.events.pageInfo.hasNextPage).toBe(false);
    // The last page's endCursor is where to poll from: nothing after it yet.
    const polled = await account.gql(FEED, { after: second.data.events.pageInfo.endCursor });
    expect(polled.data.events.edges).toEqual([]);
    expect(polled.data.events.pageInfo.endCursor).toEqual(expect.any(String));

    const node = second.data.events.edges[0].node;
    const restBody = (await eventPage(service(), account, '?limit=4')).events[3];
    expect(node.payload).toEqual(restBody);
    expect(node).toMatchObject({
      id: restBody!.id,
      source: 'GRAPHQL',
      apiKeyPrefix: account.apiKey.slice(0, 16),
      importJobId: null,
      createdAt: restBody!.created_at,
    });

    const byContact = await account.gql(FEED, { contactId: ids[1] });
    expect(byContact.data.events.edges.map((edge: any) => [edge.node.type, edge.node.payload.data.id])).toEqual([
      ['CONTACT_CREATED', ids[1]],
      ['CONTACT_UPDATED', ids[1]],
    ]);
    const updates = await account.gql(FEED, { types: ['CONTACT_UPDATED', 'SEGMENT_CREATED'] });
    expect(updates.data.events.edges.map((edge: any) => edge.node.id)).toEqual([node.id]);

    const loaded = await account.gql(`query ($id: ID!) { node(id: $id) { id ... on Event { type payload } } }`, { id: node.id });
    expect(loaded.data.node).toEqual({ id: node.id, type: 'CONTACT_UPDATED', payload: restBody });
    const other = await service().account('Other');
    expect((await other.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: node.id })).data.node).toBeNull();
  });

  it('pages in REST with limit and after; next_cursor is never null; types filter; bad limits and types are 400', async () => {
    const first = await eventPage(service(), account, '?limit=2');
    expect(first.events.map((event) => event.data.email)).toEqual(['c1@example.com', 'c2@example.com']);
    const rest2 = await eventPage(service(), account, `?limit=100&after=${first.next_cursor}`);
    expect(rest2.events.map((event) => event.type)).toEqual(['contact.created', 'contact.updated']);
    const last = await eventPage(service(), account, `?after=${rest2.next_cursor}`);
    expect(last).toEqual({ events: [], next_cursor: expect.any(String) });
    expect((await eventPage(service(), account, `?after=${last.next_cursor}`)).events).toEqual([]);
    expect((await eventPage(service(), account, '?types=contact.updated')).events.map((event) => event.type)).toEqual(['contact.updated']);
    const empty = await eventPage(service(), await service().account('Empty'));
    expect(empty).toEqual({ events: [], next_cursor: expect.any(String) });

    for (const query of ['?limit=0', '?limit=101', '?types=contact.nope']) {
      const answer = await rest(service().url, account.apiKey, 'GET', `/events${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.errors[0].code).toBe('BAD_REQUEST');
    }
    expect((await rest(service().url, null, 'GET', '/events')).status).toBe(401);
  });

  it('refuses a malformed cursor, and one older than EVENT_RETENTION_DAYS, saying so', async () => {
    const malformed = await rest(service().url, account.apiKey, 'GET', '/events?after=nonsense');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toMatchObject({ code: 'INVALID', field: ['query', 'after'] });
    const gqlMalformed = await account.gql(FEED, { after: 'nonsense' });
    expect(gqlMalformed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // An event of 31 days ago: its cursor has outlived the retention.
    const old = await account.gql(CREATE, { input: { email: 'old@example.com' } });
    const oldId = old.data.createContact.contact.id;
    await service().service.db.prisma.$executeRaw`
      UPDATE events SET created_at = now() - interval '31 days' WHERE contact_id = ${oldId}`;
    const events = await feedReader(service(), account, 'contact.created')(4);
    const cursor = (await account.gql(FEED, { contactId: oldId })).data.events.edges[0].cursor;
    expect(events.at(-1)!.data.id).toBe(oldId);
    const expired = await rest(service().url, account.apiKey, 'GET', `/events?after=${cursor}`);
    expect(expired.status).toBe(400);
    expect(expired.body.errors[0].code).toBe('INVALID');
    expect(expired.body.errors[0].message).toMatch(/older than the 30 days.*EVENT_RETENTION_DAYS/);
    const gqlExpired = await account.gql(FEED, { after: cursor });
    expect(gqlExpired.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringMatching(/EVENT_RETENTION_DAYS/),
    });
  });
});

/** Tagged SQL on a plain pg client, as the service's transactions give it to the writers. */
function rawSql(client: pg.Client): RawSql {
  return {
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]) {
      const sql = Prisma.sql(strings, ...values);
      return (await client.query(sql.text, sql.values)).rows as T;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DATABASE_KINDS)('concurrent writers and a paging reader on %s', (kind) => {
  let service: TestService & { scratch: { config: { kind: string; url?: string } } };
  let account: TestAccount;

  beforeAll(async () => {
    service = await startTestService(kind);
    account = await service.account();
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('the reader sees every committed event exactly once, though transactions commit out of order', async () => {
    const written: string[] = [];
    let writing = true;

    const writers =
      kind === 'postgres'
        ? // Several connections, each a transaction that writes then waits a random while before
          // committing: one that drew lower txids and seqs often commits after later ones.
          Array.from({ length: 4 }, async (_, writer) => {
            const client = new pg.Client({ connectionString: service.scratch.config.url });
            await client.connect();
            const caller = { accountId: account.accountId, source: 'rest' as const, apiKeyPrefix: null };
            try {
              for (let round = 0; round < 15; round++) {
                await client.query('BEGIN');
                const emails = Array.from({ length: 1 + (round % 3) }, (_, i) => `w${writer}-${round}-${i}@example.com`);
                await writeEvents(
                  rawSql(client),
                  caller,
                  emails.map((email) => ({ type: 'contact.created', data: { email } })),
                );
                await sleep(Math.random() * 60);
                await client.query('COMMIT');
                written.push(...emails);
              }
            } finally {
              await client.end();
            }
          })
        : // PGlite is one connection: writers are concurrent requests, committed one at a time.
          Array.from({ length: 4 }, async (_, writer) => {
            for (let round = 0; round < 10; round++) {
              const email = `w${writer}-${round}@example.com`;
              const answer = await account.gql(CREATE, { input: { email } });
              expect(answer.data.createContact.userErrors).toEqual([]);
              written.push(email);
              await sleep(Math.random() * 20);
            }
          });

    const seen: string[] = [];
    const reader = (async () => {
      let after = '';
      for (;;) {
        const stillWriting = writing;
        const page = await eventPage(service, account, `?limit=7${after && `&after=${after}`}`);
        seen.push(...page.events.map((event) => event.data.email as string));
        after = page.next_cursor;
        if (!stillWriting && page.events.length === 0 && seen.length >= written.length) return;
        await sleep(Math.random() * 15);
      }
    })();

    await Promise.all(writers);
    writing = false;
    await Promise.race([reader, sleep(30_000).then(() => Promise.reject(new Error('the reader never caught up')))]);
    expect(new Set(seen).size).toBe(seen.length); // no event twice
    expect([...seen].sort()).toEqual([...written].sort()); // and none missed
  });
});
