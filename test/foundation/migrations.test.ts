import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import { isIdOf } from '../../src/core/ids.js';
import { DATABASE_KINDS, type ScratchDatabase, scratchDatabase } from '../support/databases.js';

const ALL = readMigrations().map((migration) => migration.name);

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  let scratch: ScratchDatabase;
  const open: Database[] = [];
  async function fresh(): Promise<Database> {
    scratch = await scratchDatabase(kind);
    return opened(scratch);
  }
  async function opened(target: ScratchDatabase): Promise<Database> {
    const db = await openDatabase(target.config);
    open.push(db);
    return db;
  }
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
    await scratch.drop();
  });

  it('applies every migration once and records it as Prisma does', async () => {
    const db = await fresh();
    expect(await migrate(db)).toEqual(ALL);
    expect(await migrate(db)).toEqual([]);
    const rows = await db.withSession((session) =>
      session.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
      ),
    );
    expect(rows.map((row) => row.migration_name)).toEqual(ALL);
    for (const migration of readMigrations()) {
      const row = rows.find((candidate) => candidate.migration_name === migration.name)!;
      expect(row.checksum).toBe(createHash('sha256').update(migration.sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('rolls a failing migration back whole and records nothing of it', async () => {
    const db = await fresh();
    await migrate(db);
    const broken = { name: '99990101000000_broken', sql: 'CREATE TABLE half_done (id int); SELECT 1/0;', checksum: 'x' };
    await expect(migrate(db, [...readMigrations(), broken])).rejects.toThrow(/99990101000000_broken failed and was rolled back/);
    const [state] = await db.withSession((session) =>
      session.query<{ table: string | null; recorded: number }>(
        `SELECT to_regclass('half_done')::text AS table, (SELECT count(*)::int FROM _prisma_migrations WHERE migration_name = $1) AS recorded`,
        [broken.name],
      ),
    );
    expect(state).toEqual({ table: null, recorded: 0 });
  });

  it('makes IDs in SQL (new_id) in the layout of src/core/ids.ts, the second they were made first', async () => {
    const db = await fresh();
    await migrate(db);
    const before = Math.floor(Date.now() / 1000);
    const rows = await db.withSession((session) =>
      session.query<{ id: string }>(`SELECT new_id('evt') AS id FROM generate_series(1, 10000)`),
    );
    const after = Math.floor(Date.now() / 1000);
    expect(new Set(rows.map((row) => row.id)).size).toBe(10_000);
    for (const { id } of rows) {
      expect(id).toMatch(/^evt_[0-9a-f]{8}[a-z0-9]{12}$/);
      expect(isIdOf('event', id)).toBe(true);
      const second = parseInt(id.slice(4, 12), 16);
      expect(second).toBeGreaterThanOrEqual(before - 1); // the database's clock may trail ours
      expect(second).toBeLessThanOrEqual(after + 1);
    }
  });

  it('gives a database that schema.prisma describes: every model round-trips through the client', async () => {
    const db = await fresh();
    await migrate(db);
    const { prisma } = db;
    const account = await prisma.account.create({ data: { id: 'acc_aaaaaaaaaaaaaaaaaaaa', name: 'A' } });
    await prisma.apiKey.create({ data: { id: 'key_aaaaaaaaaaaaaaaaaaaa', accountId: account.id, prefix: 'sk_live_aaaaaaaa', hash: 'h' } });
    const contact = await prisma.contact.create({
      data: {
        id: 'ct_aaaaaaaaaaaaaaaaaaaa',
        accountId: account.id,
        email: 'a@example.com',
        properties: { plan: 'pro', seats: 3, vip: true },
      },
    });
    const segment = await prisma.segment.create({
      data: { id: 'seg_aaaaaaaaaaaaaaaaaaaa', accountId: account.id, name: 'S', type: 'STATIC', rules: [] },
    });
    await prisma.segmentMembership.create({ data: { segmentId: segment.id, contactId: contact.id } });
    const job = await prisma.importJob.create({ data: { id: 'imp_aaaaaaaaaaaaaaaaaaaa', accountId: account.id, segmentId: segment.id } });
    await prisma.importRowError.create({ data: { jobId: job.id, line: 2, email: 'x', message: 'bad' } });
    await prisma.event.create({
      data: {
        id: 'evt_aaaaaaaaaaaaaaaaaaaa',
        accountId: account.id,
        type: 'contact.created',
        source: 'rest',
        contactId: contact.id,
        data: { id: contact.id },
      },
    });

    // An endpoint made before the event got its delivery from the trigger on events; one made after gets none.
    const endpoint = await prisma.webhookEndpoint.create({
      data: { id: 'whk_aaaaaaaaaaaaaaaaaaaa', accountId: account.id, url: 'https://example.com/hook', secret: 'whsec_x' },
    });
    await prisma.event.create({
      data: { id: 'evt_bbbbbbbbbbbbbbbbbbbb', accountId: account.id, type: 'segment.created', source: 'cli', data: { id: segment.id } },
    });
    const [delivery] = await prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, include: { event: true } });
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 0, event: { id: 'evt_bbbbbbbbbbbbbbbbbbbb' } });
    expect(delivery!.id).toMatch(/^whd_[a-z0-9]{20}$/);
    await prisma.webhookDelivery.update({ where: { id: delivery!.id }, data: { status: 'SUCCEEDED', attempts: 1, lastStatusCode: 204 } });
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { eventTypes: ['contact.created'], enabled: false } });
    expect(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({
      eventTypes: ['contact.created'],
      enabled: false,
      disabledReason: null,
    });

    const read = await prisma.account.findUniqueOrThrow({
      where: { id: account.id },
      include: {
        apiKeys: true,
        contacts: { include: { memberships: true } },
        segments: true,
        importJobs: { include: { rowErrors: true } },
        events: true,
      },
    });
    expect(read.contactCount).toBe(1n);
    expect(read.contacts[0]).toMatchObject({
      email: 'a@example.com',
      properties: { plan: 'pro', seats: 3, vip: true },
      unsubscribed: false,
    });
    expect(read.contacts[0]!.memberships).toHaveLength(1);
    expect(read.importJobs[0]).toMatchObject({ status: 'PROCESSING', rowErrors: [{ line: 2, message: 'bad' }] });
    expect(read.events[0]).toMatchObject({ type: 'contact.created', source: 'rest', previous: null, data: { id: contact.id } });

    await prisma.contact.update({ where: { id: contact.id }, data: { firstName: 'Ann', unsubscribed: true, unsubscribedAt: new Date() } });
    await prisma.segment.update({ where: { id: segment.id }, data: { match: 'ANY' } });
    await prisma.importJob.update({ where: { id: job.id }, data: { status: 'COMPLETED', finishedAt: new Date() } });

    // Deleting a segment removes its memberships, never its contacts; deleting a contact removes its memberships.
    await prisma.segment.delete({ where: { id: segment.id } });
    expect(await prisma.contact.count()).toBe(1);
    expect(await prisma.segmentMembership.count()).toBe(0);
    expect((await prisma.importJob.findUniqueOrThrow({ where: { id: job.id } })).segmentId).toBeNull();
    await prisma.contact.delete({ where: { id: contact.id } });
    expect((await prisma.account.findUniqueOrThrow({ where: { id: account.id } })).contactCount).toBe(0n);
    await prisma.account.delete({ where: { id: account.id } });
    expect(await prisma.importRowError.count()).toBe(0);
    expect(await prisma.apiKey.count()).toBe(0);
    expect(await prisma.event.count()).toBe(0);
    expect(await prisma.webhookEndpoint.count()).toBe(0);
    expect(await prisma.webhookDelivery.count()).toBe(0);
  });

  if (kind === 'postgres') {
    it('applies each migration once when two instances migrate at the same time', async () => {
      const first = await fresh();
      const second = await opened(scratch);
      const applied = await Promise.all([migrate(first), migrate(second)]);
      expect(applied.flat().sort()).toEqual(ALL);
      const [row] = await first.withSession((session) =>
        session.query<{ count: number }>('SELECT count(*)::int AS count FROM _prisma_migrations'),
      );
      expect(row?.count).toBe(ALL.length);
    });
  }
});
