// The events table (the outbox): written in the transaction of each change, set-based (one
// statement for any number of events; the table's trigger sends the NOTIFY that wakes the
// subscribers of every instance and fans out to webhooks), read as the feed in (txid, seq) order
// below the oldest running transaction, and trimmed by retention. See the events migration for
// why that order makes paging gap-free.
import { Prisma, type PrismaClient } from '../../../db/generated/prisma/client.js';
import type { RawSql } from '../../../db/transaction.js';
import type { Caller, EventSource } from '../caller.js';
import type { EventType, NewEvent, StoredEvent } from '../event.js';

/** The channel of the NOTIFY sent with every statement's events; the payload is the account id. */
export const EVENTS_CHANNEL = 'contacts_events';

/** Writes the events of one change in the caller's transaction: one statement, whatever their number. */
export async function insertEvents(tx: RawSql, caller: Caller, events: readonly NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.$queryRaw`
    ${insertEventRows(
      caller,
      Prisma.sql`SELECT e.type, e.contact_id, e.data::jsonb, e.before::jsonb, e.import_job_id
        FROM unnest(${events.map((event) => event.type)}::text[], ${events.map((event) => event.contactId ?? null)}::text[],
                    ${events.map((event) => JSON.stringify(event.data))}::text[],
                    ${events.map((event) => (event.before === undefined ? null : JSON.stringify(event.before)))}::text[],
                    ${events.map((event) => event.importJobId ?? null)}::text[])
          WITH ORDINALITY AS e(type, contact_id, data, before, import_job_id, n)
        ORDER BY e.n`,
    )}`;
}

/**
 * The INSERT of the caller's events from `rows` of (type, contact_id, data, before,
 * import_job_id), in their order: a statement of its own, or a data-modifying CTE of the
 * statement that made the change, so that a batch's events never travel to the service and back.
 * An update (`before` given) that changed nothing but updated_at makes no event; one that did
 * gets its `previous` (event_previous, in the events-written-in-SQL migration).
 */
export function insertEventRows(caller: Caller, rows: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO events (account_id, type, source, api_key_prefix, import_job_id, contact_id, data, previous)
    SELECT ${caller.accountId}, r.type, ${caller.source}, ${caller.apiKeyPrefix}::text, r.import_job_id, r.contact_id, r.data,
           CASE WHEN r.before IS NOT NULL THEN event_previous(r.before, r.data) END
    FROM (${rows}) r(type, contact_id, data, before, import_job_id)
    WHERE r.before IS NULL OR (r.before - 'updated_at') IS DISTINCT FROM (r.data - 'updated_at')`;
}

/** A place in the feed: the (txid, seq) of an event. */
export interface FeedPosition {
  txid: string;
  seq: string;
}

export interface FeedQuery {
  accountId: string;
  /** Only events after this place; from the start when null. */
  after: FeedPosition | null;
  types?: readonly EventType[] | null;
  contactId?: string | null;
  limit: number;
}

interface EventRow {
  id: string;
  type: string;
  source: string;
  apiKeyPrefix: string | null;
  importJobId: string | null;
  contactId: string | null;
  data: unknown;
  previous: unknown;
  createdAt: Date | string;
  txid: string;
  seq: string;
}

const EVENT_COLUMNS = Prisma.sql`e.id, e.type, e.source, e.api_key_prefix AS "apiKeyPrefix", e.import_job_id AS "importJobId",
  e.contact_id AS "contactId", e.data, e.previous, e.created_at AS "createdAt", e.txid::text AS txid, e.seq::text AS seq`;

/**
 * The account's events after a place, oldest first, only those whose transaction is older than
 * every transaction still running: one of those may yet commit events that sort before later
 * ones, and a reader must not page past them.
 */
export async function readFeed(sql: RawSql, query: FeedQuery): Promise<StoredEvent[]> {
  const after = query.after ? Prisma.sql`AND (e.txid, e.seq) > (${query.after.txid}::xid8, ${query.after.seq}::bigint)` : Prisma.empty;
  const types = query.types?.length ? Prisma.sql`AND e.type = ANY(${[...query.types]}::text[])` : Prisma.empty;
  const contact = query.contactId ? Prisma.sql`AND e.contact_id = ${query.contactId}` : Prisma.empty;
  const rows = await sql.$queryRaw<EventRow[]>`
    SELECT ${EVENT_COLUMNS} FROM events e
    WHERE e.account_id = ${query.accountId} ${after} ${types} ${contact}
      AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.txid, e.seq
    LIMIT ${query.limit}`;
  return rows.map(toStoredEvent);
}

/** The place of the account's last event the feed shows now (null: none yet): a live reader starts after it. */
export async function feedTail(sql: RawSql, accountId: string): Promise<FeedPosition | null> {
  const [row] = await sql.$queryRaw<FeedPosition[]>`
    SELECT e.txid::text AS txid, e.seq::text AS seq FROM events e
    WHERE e.account_id = ${accountId} AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY e.txid DESC, e.seq DESC LIMIT 1`;
  return row ?? null;
}

/** The account's events with these ids (for node(id:)), in no particular order. */
export async function findEvents(prisma: PrismaClient, accountId: string, ids: readonly string[]): Promise<StoredEvent[]> {
  const rows = await prisma.$queryRaw<EventRow[]>`
    SELECT ${EVENT_COLUMNS} FROM events e WHERE e.account_id = ${accountId} AND e.id = ANY(${[...ids]}::text[])`;
  return rows.map(toStoredEvent);
}

/** Deletes at most `limit` events created before `before`, oldest first; answers how many. */
export async function deleteEventsBefore(prisma: PrismaClient, before: Date, limit: number): Promise<number> {
  return prisma.$executeRaw`
    DELETE FROM events WHERE id IN (
      SELECT id FROM events WHERE created_at < ${before}::timestamptz ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)`;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    source: row.source as EventSource,
    apiKeyPrefix: row.apiKeyPrefix,
    importJobId: row.importJobId,
    contactId: row.contactId,
    // Both drivers parse jsonb; text is accepted too.
    data: typeof row.data === 'string' ? JSON.parse(row.data) : row.data,
    previous: (typeof row.previous === 'string' ? JSON.parse(row.previous) : row.previous) as Record<string, unknown> | null,
    createdAt: new Date(row.createdAt),
    txid: String(row.txid),
    seq: String(row.seq),
  };
}
