// Writing single contacts and deleting many, always within the caller's account: an id of
// another account is treated exactly like one that does not exist. Each write statement also
// writes its event (a CTE over the rows it returns; see insertEventRows).
import { type ContactChanges, mergeProperties } from '../changes.js';
import { CONTACT_LIMITS, splitPatch } from '../rules.js';
import { newId } from '../../ids.js';
import { CONTACT_COLUMNS, type ContactRow, toContact } from './rows.js';
import { type Contact, Prisma, type PrismaClient } from '../../../db/generated/prisma/client.js';
import type { RawSql } from '../../../db/transaction.js';
import type { Caller } from '../../events/caller.js';
import { insertEventRows } from '../../events/repository/events.js';

/** What a write statement returns of `c`: the columns every reader maps, and the event's body. */
const WRITTEN = Prisma.sql`${CONTACT_COLUMNS}, contact_json(c) AS "eventData"`;

/** The events of the rows a write's CTE `written` returned (`before`: SQL for each one's former JSON, or NULL). */
function contactEvents(caller: Caller, type: Prisma.Sql, before: Prisma.Sql = Prisma.sql`NULL::jsonb`): Prisma.Sql {
  return insertEventRows(caller, Prisma.sql`SELECT ${type}, w.id, w."eventData", ${before}, NULL::text FROM written w`);
}

/** The new contact, or null when the account already has one with this email. */
export async function insertContact(
  sql: RawSql,
  caller: Caller,
  changes: ContactChanges & { email: string },
  now = new Date(),
): Promise<Contact | null> {
  const [row] = await sql.$queryRaw<ContactRow[]>`
    WITH written AS (
    INSERT INTO contacts AS c (id, account_id, email, first_name, last_name, properties, unsubscribed, unsubscribed_at, created_at, updated_at)
    VALUES (${newId('contact')}, ${caller.accountId}, ${changes.email}, ${changes.firstName ?? null}::text, ${changes.lastName ?? null}::text,
            ${JSON.stringify(splitPatch(changes.properties ?? {}).set)}::jsonb, ${changes.unsubscribed ?? false},
            ${changes.unsubscribed ? now : null}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)
    ON CONFLICT (account_id, email) DO NOTHING
    RETURNING ${WRITTEN}
    ), events AS (${contactEvents(caller, Prisma.sql`'contact.created'`)})
    SELECT * FROM written`;
  return row ? toContact(row) : null;
}

export type UpdateOutcome = { contact: Contact } | { error: 'NOT_FOUND' | 'LIMIT_EXCEEDED' };

/**
 * Applies the given changes, in the caller's transaction; properties merge key by key into the
 * stored ones. An email another contact has throws the unique violation.
 */
export async function updateContact(
  sql: RawSql,
  caller: Caller,
  id: string,
  changes: ContactChanges,
  now = new Date(),
): Promise<UpdateOutcome> {
  // Locked, so that a concurrent update cannot merge into properties we are replacing.
  const [row] = await sql.$queryRaw<
    ContactRow[]
  >`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = ${caller.accountId} AND c.id = ${id} FOR UPDATE`;
  if (!row) return { error: 'NOT_FOUND' } as const;
  const current = toContact(row);
  const properties = mergeProperties(current.properties as Record<string, unknown>, changes.properties);
  if (Object.keys(properties).length > CONTACT_LIMITS.propertyCount) return { error: 'LIMIT_EXCEEDED' } as const;
  const unsubscribed = changes.unsubscribed ?? current.unsubscribed;
  const unsubscribedAt =
    changes.unsubscribed === undefined ? current.unsubscribedAt : changes.unsubscribed ? (current.unsubscribedAt ?? now) : null;
  const [updated] = await sql.$queryRaw<ContactRow[]>`
    WITH old AS (SELECT contact_json(c) AS data FROM contacts c WHERE c.id = ${id}), written AS (
    UPDATE contacts c SET
      email = ${changes.email ?? current.email}::text,
      first_name = ${changes.firstName !== undefined ? changes.firstName : current.firstName}::text,
      last_name = ${changes.lastName !== undefined ? changes.lastName : current.lastName}::text,
      properties = ${JSON.stringify(properties)}::jsonb,
      unsubscribed = ${unsubscribed}::boolean,
      unsubscribed_at = ${unsubscribedAt}::timestamptz,
      updated_at = ${now}::timestamptz
    WHERE c.id = ${id}
    RETURNING ${WRITTEN}
    ), events AS (${contactEvents(caller, Prisma.sql`contact_update_type((SELECT data FROM old), w."eventData")`, Prisma.sql`(SELECT data FROM old)`)})
    SELECT * FROM written`;
  return { contact: toContact(updated!) };
}

/**
 * Unsubscribes (keeping the first unsubscribedAt) or resubscribes (clearing it); null for an
 * unknown id. updatedAt moves only when the state changes.
 */
export async function setUnsubscribed(
  sql: RawSql,
  caller: Caller,
  id: string,
  unsubscribed: boolean,
  now = new Date(),
): Promise<Contact | null> {
  // The row as it was, locked before the update (in one statement: the UPDATE then sees it as locked).
  const [row] = await sql.$queryRaw<ContactRow[]>`
    WITH old AS (SELECT c.id, contact_json(c) AS data FROM contacts c WHERE c.account_id = ${caller.accountId} AND c.id = ${id} FOR UPDATE),
    written AS (
    UPDATE contacts c SET
      unsubscribed = ${unsubscribed},
      unsubscribed_at = CASE WHEN ${unsubscribed} THEN coalesce(c.unsubscribed_at, ${now}::timestamptz) END,
      updated_at = CASE WHEN c.unsubscribed = ${unsubscribed} THEN c.updated_at ELSE ${now}::timestamptz END
    FROM old o
    WHERE c.id = o.id
    RETURNING ${WRITTEN}
    ), events AS (${contactEvents(caller, Prisma.sql`contact_update_type((SELECT data FROM old), w."eventData")`, Prisma.sql`(SELECT data FROM old)`)})
    SELECT * FROM written`;
  return row ? toContact(row) : null;
}

/** Deletes those of `ids` the account has (memberships go with them); answers them as they were. */
export async function deleteContacts(sql: RawSql, caller: Caller, ids: readonly string[]): Promise<Contact[]> {
  const rows = await sql.$queryRaw<ContactRow[]>`
    WITH written AS (
      DELETE FROM contacts c WHERE c.account_id = ${caller.accountId} AND c.id = ANY(${ids}::text[]) RETURNING ${WRITTEN}
    ), events AS (${contactEvents(caller, Prisma.sql`'contact.deleted'`)})
    SELECT * FROM written`;
  return rows.map(toContact);
}

/** The account's contacts with these ids, in the order of `ids`. */
export async function findContacts(prisma: PrismaClient, accountId: string, ids: string[]): Promise<Contact[]> {
  const rows = await prisma.$queryRaw<ContactRow[]>`
    SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = ${accountId} AND c.id = ANY(${ids}::text[])`;
  const byId = new Map(rows.map((row) => [row.id, toContact(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The account's contact with this (normalised) email, or null. */
export async function findContactByEmail(prisma: PrismaClient, accountId: string, email: string): Promise<Contact | null> {
  const [row] = await prisma.$queryRaw<ContactRow[]>`
    SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = ${accountId} AND c.email = ${email}`;
  return row ? toContact(row) : null;
}
