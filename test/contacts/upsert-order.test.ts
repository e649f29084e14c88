// The bulk upsert may run its UPDATE before its INSERT (an import's batch of mostly known emails):
// either way a batch stores, counts, refuses and tells in events exactly the same (SEMANTICS.md
// "Contacts" for upsertContacts, "CSV import" for the import that uses both orders).
import { describe, expect, it } from 'vitest';
import type { ContactUpsert } from '../../src/core/contacts/changes.js';
import { type UpsertOrder, upsertContactBatch } from '../../src/core/contacts/repository/upsert.js';
import { setTransaction } from '../../src/db/transaction.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';

const properties = (count: number, prefix: string) => Object.fromEntries(Array.from({ length: count }, (_, n) => [`${prefix}${n}`, 'x']));

const SEED: ContactUpsert[] = [
  { email: 'known@example.com', firstName: 'Kay', lastName: 'Known', properties: { a: '1', b: '2' }, unsubscribed: true },
  { email: 'plain@example.com', firstName: 'Pat' },
  { email: 'full@example.com', properties: properties(99, 'p') },
];

const BATCH: ContactUpsert[] = [
  { email: 'fresh@example.com', firstName: 'Fresh', properties: { plan: 'pro' } },
  { email: 'known@example.com', lastName: null, properties: { b: null, c: '3' } },
  { email: 'fresh@example.com', lastName: 'Later' }, // the same email again: applies in order, counts once
  { email: 'plain@example.com', unsubscribed: true },
  { email: 'full@example.com', properties: { q0: 'y', q1: 'y' } }, // 101 properties: refused, left as it was
  { email: 'wide@example.com', properties: properties(101, 'w') }, // a new one over the limit: refused
  { email: 'same@example.com', firstName: 'Same' },
];

describe.each(DATABASE_KINDS)('the bulk upsert in either order on %s', (kind) => {
  const service = useService(kind);

  async function run(order: UpsertOrder) {
    const account = await service().account();
    const { db } = service().service;
    const caller = { accountId: account.accountId, source: 'import' as const, apiKeyPrefix: null };
    await setTransaction(db, (tx) => upsertContactBatch(tx, caller, [...SEED, { email: 'same@example.com', firstName: 'Same' }]));
    const outcome = await setTransaction(db, (tx) => upsertContactBatch(tx, caller, BATCH, { order }));
    const contacts = await db.prisma.contact.findMany({
      where: { accountId: account.accountId },
      orderBy: { email: 'asc' },
      select: { email: true, firstName: true, lastName: true, properties: true, unsubscribed: true },
    });
    const events = await db.prisma.event.findMany({
      where: { accountId: account.accountId },
      orderBy: { seq: 'asc' },
      select: { type: true, data: true, previous: true },
    });
    const stable = (value: unknown) =>
      JSON.parse(JSON.stringify(value, (key, v) => (/^(id|created_at|updated_at|unsubscribed_at)$/.test(key) ? undefined : v)));
    return {
      rows: outcome.rows.map(({ email, created }) => ({ email, created })),
      overLimit: outcome.overLimit,
      contacts,
      events: stable(events),
    };
  }

  it('known-first writes what new-first writes, row for row, event for event', async () => {
    const newFirst = await run('new-first');
    const knownFirst = await run('known-first');
    expect(newFirst.rows).toEqual([
      { email: 'fresh@example.com', created: true },
      { email: 'known@example.com', created: false },
      { email: 'plain@example.com', created: false },
      { email: 'same@example.com', created: false },
    ]);
    expect(newFirst.overLimit).toEqual(['full@example.com', 'wide@example.com']);
    expect(newFirst.contacts.find((contact) => contact.email === 'known@example.com')).toMatchObject({
      firstName: 'Kay',
      lastName: null,
      properties: { a: '1', c: '3' },
      unsubscribed: true,
    });
    expect(Object.keys(newFirst.contacts.find((contact) => contact.email === 'full@example.com')!.properties as object)).toHaveLength(99);

    expect(knownFirst.rows).toEqual(newFirst.rows);
    expect(knownFirst.overLimit).toEqual(newFirst.overLimit);
    expect(knownFirst.contacts).toEqual(newFirst.contacts);
    // The same events; within a batch, an order's statements each write theirs in batch order.
    const sortedEvents = (events: { type: string; data: { email: string } }[]) =>
      [...events].sort((a, b) => `${a.data.email}${a.type}`.localeCompare(`${b.data.email}${b.type}`));
    expect(sortedEvents(knownFirst.events)).toEqual(sortedEvents(newFirst.events));
    expect(newFirst.events.map((event: { type: string }) => event.type)).toContain('contact.unsubscribed');
  });
});
