// Set-based upsert of contacts keyed by (account, email): a batch of any size is two statements
// (rarely three), never a round trip per row. Used by `upsertContacts` and by the CSV import.
//
// Two statements, not one INSERT … ON CONFLICT DO UPDATE: an update must know which fields were
// given (a name not given is kept, a null one is cleared; properties merge key by key), and
// DO UPDATE only sees the row that would have been inserted. Under READ COMMITTED, a row inserted
// meanwhile by another transaction makes our INSERT skip it and the UPDATE after it (a new
// statement, a new snapshot) merge into it, so no write is lost. The UPDATE also
// answers each row as it was before (a CTE reading and locking them), which the events' `previous` needs.
import type { ContactUpsert } from '../changes.js';
import { CONTACT_LIMITS, splitPatch } from '../rules.js';
import { newId } from '../../ids.js';
import type { Database } from '../../../db/database.js';
import { Prisma } from '../../../db/generated/prisma/client.js';
import type { RawSql } from '../../../db/transaction.js';
import type { Caller } from '../../events/caller.js';
import { insertEventRows } from '../../events/repository/events.js';

export interface UpsertedRow {
  id: string;
  email: string;
  created: boolean;
}

export interface UpsertOutcome {
  /** Per distinct email, in order of first appearance. */
  rows: UpsertedRow[];
  /** Emails whose update would pass the property limit; nothing was written for them. */
  overLimit: string[];
}

/** Which statement goes first: the INSERT of new emails (the default), or the UPDATE of known ones. */
export type UpsertOrder = 'new-first' | 'known-first';

interface Entry {
  item: ContactUpsert;
  /** The email's place in the batch, for the order of its events. */
  pos: number;
  /** The id the contact gets if this batch creates it. */
  id: string;
}

/**
 * Creates or updates the batch's contacts for the caller's account, with their events
 * (contact.created, or the update's event when it changed something) written by the same
 * statements: `importJobId` goes on each.
 *
 * `known-first` runs the UPDATE before the INSERT, for a batch that is mostly known emails (a
 * re-import): an INSERT of a batch whose every email conflicts writes nothing and still probed
 * the index for each, a sixth of a million-row re-import's time (PostgreSQL's statement log).
 * Whichever goes first, what it did not write goes to the other, and what neither wrote (a row
 * another writer inserted between the two statements) to the UPDATE once more.
 */
export async function upsertContactBatch(
  tx: RawSql,
  caller: Caller,
  items: ContactUpsert[],
  { importJobId = null, now = new Date(), order = 'new-first' }: { importJobId?: string | null; now?: Date; order?: UpsertOrder } = {},
): Promise<UpsertOutcome> {
  const merged = foldByEmail(items);
  if (merged.length === 0) return { rows: [], overLimit: [] };
  // Writers of overlapping batches then insert in the same order, which keeps most lock waits
  // from turning into deadlocks (setTransaction runs the loser again). `pos` keeps the batch's
  // own order for its events.
  const sorted: Entry[] = merged
    .map((item, pos) => ({ item, pos, id: newId('contact') }))
    .sort((a, b) => (a.item.email < b.item.email ? -1 : a.item.email > b.item.email ? 1 : 0));

  const write = { caller, importJobId, now };
  const steps = order === 'known-first' ? [updateKnown, insertNew, updateKnown] : [insertNew, updateKnown];
  const byEmail = new Map<string, UpsertedRow>();
  let pending = sorted;
  for (const step of steps) {
    if (pending.length === 0) break;
    for (const row of await step(tx, write, pending)) byEmail.set(row.email, row);
    pending = pending.filter(({ item }) => !byEmail.has(item.email));
  }
  return {
    rows: merged.flatMap((item) => byEmail.get(item.email) ?? []),
    overLimit: merged.filter((item) => !byEmail.has(item.email)).map((item) => item.email),
  };
}

interface Write {
  caller: Caller;
  importJobId: string | null;
  now: Date;
}

/** The entries as a CTE (`i`), so each statement sends its arrays once however often it reads them. */
function batchInput(entries: Entry[]): Prisma.Sql {
  const patches = entries.map(({ item }) => splitPatch(item.properties ?? {}));
  const columns = {
    ids: entries.map(({ id }) => id),
    positions: entries.map(({ pos }) => pos),
    emails: entries.map(({ item }) => item.email),
    firstNames: entries.map(({ item }) => item.firstName ?? null),
    firstGiven: entries.map(({ item }) => item.firstName !== undefined),
    lastNames: entries.map(({ item }) => item.lastName ?? null),
    lastGiven: entries.map(({ item }) => item.lastName !== undefined),
    sets: patches.map((patch) => JSON.stringify(patch.set)),
    removes: patches.map((patch) => JSON.stringify(patch.remove)),
    unsubscribed: entries.map(({ item }) => item.unsubscribed ?? null),
  };
  return Prisma.sql`i AS (SELECT * FROM unnest(
      ${columns.ids}::text[], ${columns.positions}::int[], ${columns.emails}::text[],
      ${columns.firstNames}::text[], ${columns.firstGiven}::boolean[],
      ${columns.lastNames}::text[], ${columns.lastGiven}::boolean[],
      ${columns.sets}::text[], ${columns.removes}::text[], ${columns.unsubscribed}::boolean[]
    ) AS u(id, pos, email, first_name, first_given, last_name, last_given, props_set, props_remove, unsubscribed))`;
}

/** Inserts the entries whose email the account does not hold yet; answers those it created. */
async function insertNew(tx: RawSql, { caller, importJobId, now }: Write, entries: Entry[]): Promise<UpsertedRow[]> {
  const rows = await tx.$queryRaw<{ id: string; email: string }[]>`
    WITH ${batchInput(entries)}, written AS (
      INSERT INTO contacts AS c (id, account_id, email, first_name, last_name, properties, unsubscribed, unsubscribed_at, created_at, updated_at)
      SELECT i.id, ${caller.accountId}, i.email, i.first_name, i.last_name, i.props_set::jsonb,
             coalesce(i.unsubscribed, false), CASE WHEN i.unsubscribed THEN ${now}::timestamptz END,
             ${now}::timestamptz, ${now}::timestamptz
      FROM i
      WHERE (SELECT count(*) FROM jsonb_object_keys(i.props_set::jsonb)) <= ${CONTACT_LIMITS.propertyCount}
      ON CONFLICT (account_id, email) DO NOTHING
      RETURNING c.id, c.email, contact_json(c) AS data
    ), events AS (
      ${insertEventRows(
        caller,
        Prisma.sql`SELECT 'contact.created', w.id, w.data, NULL::jsonb, ${importJobId}::text FROM written w JOIN i ON i.id = w.id ORDER BY i.pos`,
      )}
    )
    SELECT id, email FROM written`;
  return rows.map((row) => ({ ...row, created: true }));
}

/** Updates the account's contacts of the entries' emails by the updateContact rules; answers those it updated. */
async function updateKnown(tx: RawSql, { caller, importJobId, now }: Write, entries: Entry[]): Promise<UpsertedRow[]> {
  const mergedProperties = Prisma.sql`((c.properties || i.props_set::jsonb) - ARRAY(SELECT jsonb_array_elements_text(i.props_remove::jsonb)))`;
  // The rows as they were (for the events' `previous`), read and locked in the same statement
  // before the update: the UPDATE then finds them locked by this transaction and changes exactly
  // the versions read. `old` carries each input row beside the contact it updates, so that the
  // UPDATE joins one CTE by primary key: joined to `i` again by email, the planner (which has no
  // statistics for CTEs) took the pair for 125,000 rows and hashed the whole contacts table for
  // every batch (a re-import 2.4× slower at a million rows, measured).
  const rows = await tx.$queryRaw<{ id: string; email: string }[]>`
    WITH ${batchInput(entries)}, old AS (
      SELECT c.id AS contact_id, contact_json(c) AS before, i.pos, i.first_name, i.first_given,
             i.last_name, i.last_given, i.props_set, i.props_remove, i.unsubscribed
      FROM contacts c JOIN i ON c.email = i.email
      WHERE c.account_id = ${caller.accountId}
      FOR UPDATE OF c
    ), written AS (
      UPDATE contacts AS c SET
        first_name = CASE WHEN i.first_given THEN i.first_name ELSE c.first_name END,
        last_name = CASE WHEN i.last_given THEN i.last_name ELSE c.last_name END,
        properties = ${mergedProperties},
        unsubscribed = coalesce(i.unsubscribed, c.unsubscribed),
        unsubscribed_at = CASE
          WHEN i.unsubscribed IS NULL THEN c.unsubscribed_at
          WHEN i.unsubscribed THEN coalesce(c.unsubscribed_at, ${now}::timestamptz)
          END,
        updated_at = ${now}::timestamptz
      FROM old i -- the batch's rows, each with the contact it updates
      WHERE c.id = i.contact_id
        AND (SELECT count(*) FROM jsonb_object_keys(${mergedProperties})) <= ${CONTACT_LIMITS.propertyCount}
      RETURNING c.id, c.email, i.pos, contact_json(c) AS data, i.before
    ), events AS (
      ${insertEventRows(
        caller,
        Prisma.sql`SELECT contact_update_type(w.before, w.data), w.id, w.data, w.before, ${importJobId}::text FROM written w ORDER BY w.pos`,
      )}
    )
    SELECT id, email FROM written`;
  return rows.map((row) => ({ ...row, created: false }));
}

/**
 * Rows for one email apply in order and count once: later fields win, property patches merge,
 * an unsubscribe anywhere stays unless a later row resubscribes.
 */
function foldByEmail(items: ContactUpsert[]): ContactUpsert[] {
  const byEmail = new Map<string, ContactUpsert>();
  for (const item of items) {
    const seen = byEmail.get(item.email);
    if (!seen) {
      byEmail.set(item.email, { ...item, properties: item.properties && { ...item.properties } });
      continue;
    }
    if (item.firstName !== undefined) seen.firstName = item.firstName;
    if (item.lastName !== undefined) seen.lastName = item.lastName;
    if (item.unsubscribed !== undefined) seen.unsubscribed = item.unsubscribed;
    if (item.properties) seen.properties = { ...seen.properties, ...item.properties };
  }
  return [...byEmail.values()];
}

/** Which of these emails the account's contacts were created or updated with since `since`. */
export async function emailsUpdatedSince(tx: RawSql, accountId: string, emails: string[], since: Date): Promise<string[]> {
  const rows = await tx.$queryRaw<{ email: string }[]>`
    SELECT email FROM contacts
    WHERE account_id = ${accountId} AND email = ANY(${emails}::text[]) AND updated_at >= ${since}::timestamptz`;
  return rows.map((row) => row.email);
}

/** Brings the planner's statistics of contacts up to date after a bulk change. */
export async function analyzeContacts(db: Database): Promise<void> {
  await db.prisma.$executeRaw`ANALYZE contacts`;
}
