// EVENTS.md: events are kept EVENT_RETENTION_DAYS and then deleted by the service itself, in
// small batches; newer events and the feed after them stay as they were.
import { describe, expect, it } from 'vitest';
import { EventRetention } from '../../src/core/events/service.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';
import { feedReader } from './helpers.js';

describe.each(DATABASE_KINDS)('event retention on %s', (kind) => {
  // The service's own retention keeps ten years here, so only the test's (7 days) deletes.
  const service = useService(kind, { eventRetentionDays: 3650 });

  it('deletes the events older than the retention, a batch per statement, and nothing newer', async () => {
    const account = await service().account();
    for (let n = 0; n < 7; n++) {
      await account.gql(`mutation ($email: String!) { createContact(input: { email: $email }) { contact { id } } }`, {
        email: `c${n}@example.com`,
      });
    }
    const events = await feedReader(service(), account)(7);
    const { prisma } = service().service.db;
    const old = events.slice(0, 5).map((event) => event.id);
    await prisma.$executeRaw`UPDATE events SET created_at = now() - interval '8 days' WHERE id = ANY(${old}::text[])`;

    const statements: string[] = [];
    const stopWatching = service().service.db.onStatement((sql) => statements.push(sql));
    const retention = new EventRetention(service().service.db, 7, { batchRows: 2 });
    expect(await retention.run()).toBe(5);
    stopWatching();
    await retention.stop();
    expect(statements.filter((sql) => /DELETE FROM events/.test(sql))).toHaveLength(3); // 2 + 2 + 1

    const left = await prisma.$queryRaw<{ id: string }[]>`SELECT id FROM events WHERE account_id = ${account.accountId} ORDER BY seq`;
    expect(left.map((row) => row.id)).toEqual(events.slice(5).map((event) => event.id));
  });

  it('runs on its timer until stopped', async () => {
    const account = await service().account();
    await account.gql(`mutation { createContact(input: { email: "timer@example.com" }) { contact { id } } }`);
    const [event] = await feedReader(service(), account)(1);
    const { prisma } = service().service.db;
    await prisma.$executeRaw`UPDATE events SET created_at = now() - interval '30 days' WHERE id = ${event!.id}`;
    const retention = new EventRetention(service().service.db, 7, { firstRunMs: 10, intervalMs: 20 });
    retention.start();
    try {
      for (let wait = 0; wait < 100; wait++) {
        const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM events WHERE id = ${event!.id}`;
        if (row!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await prisma.$queryRaw`SELECT id FROM events WHERE id = ${event!.id}`).toEqual([]);
    } finally {
      await retention.stop();
    }
  });
});
