// Writing single contacts and deleting many, always within the caller's account: an id of
// another account is treated exactly like one that does not exist.
import { type ContactChanges, mergeProperties } from '../changes.js';
import { CONTACT_LIMITS, splitPatch } from '../rules.js';
import { newId } from '../../ids.js';
import { CONTACT_COLUMNS, type ContactRow, toContact } from './rows.js';
import type { Contact, PrismaClient } from '../../../db/generated/prisma/client.js';
import type { RawSql } from '../../../db/transaction.js';

/** The new contact, or null when the account already has one with this email. */
export async function insertContact(
  sql: RawSql,
  accountId: string,
  changes: ContactChanges & { email: string },
  now = new Date(),
): Promise<Contact | null> {
  const [row] = await sql.$queryRaw<ContactRow[]>`
    INSERT INTO contacts AS c (id, account_id, email, first_name, last_name, properties, unsubscribed, unsubscribed_at, created_at, updated_at)
    VALUES (${newId('contact')}, ${accountId}, ${changes.email}, ${changes.firstName ?? null}::text, ${changes.lastName ?? null}::text,
            ${JSON.stringify(splitPatch(changes.properties ?? {}).set)}::jsonb, ${changes.unsubscribed ?? false},
            ${changes.unsubscribed ? now : null}::timestamptz, ${now}::timestamptz, ${now}::timestamptz)
    ON CONFLICT (account_id, email) DO NOTHING
    RETURNING ${CONTACT_COLUMNS}`;
  return row ? toContact(row) : null;
}

/** A contact as it was before a change and as the change left it. */
export interface ContactChange {
  before: Contact;
  contact: Contact;
}

export type UpdateOutcome = ContactChange | { error: 'NOT_FOUND' | 'LIMIT_EXCEEDED' };

/**
 * Applies the given changes, in the caller's transaction; properties merge key by key into the
 * stored ones. An email another contact has throws the unique violation.
 */
export async function updateContact(
  sql: RawSql,
  accountId: string,
  id: string,
  changes: ContactChanges,
  now = new Date(),
): Promise<UpdateOutcome> {
  // Locked, so that a concurrent update cannot merge into properties we are replacing.
  const [row] = await sql.$queryRaw<
    ContactRow[]
  >`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = ${accountId} AND c.id = ${id} FOR UPDATE`;
  if (!row) return { error: 'NOT_FOUND' } as const;
  const current = toContact(row);
  const properties = mergeProperties(current.properties as Record<string, unknown>, changes.properties);
  if (Object.keys(properties).length > CONTACT_LIMITS.propertyCount) return { error: 'LIMIT_EXCEEDED' } as const;
  const unsubscribed = changes.unsubscribed ?? current.unsubscribed;
  const unsubscribedAt =
    changes.unsubscribed === undefined ? current.unsubscribedAt : changes.unsubscribed ? (current.unsubscribedAt ?? now) : null;
  const [updated] = await sql.$queryRaw<ContactRow[]>`
    UPDATE contacts c SET
      email = ${changes.email ?? current.email}::text,
      first_name = ${changes.firstName !== undefined ? changes.firstName : current.firstName}::text,
      last_name = ${changes.lastName !== undefined ? changes.lastName : current.lastName}::text,
      properties = ${JSON.stringify(properties)}::jsonb,
      unsubscribed = ${unsubscribed}::boolean,
      unsubscribed_at = ${unsubscribedAt}::timestamptz,
      updated_at = ${now}::timestamptz
    WHERE c.id = ${id}
    RETURNING ${CONTACT_COLUMNS}`;
  return { before: current, contact: toContact(updated!) };
}

/**
 * Unsubscribes (keeping the first unsubscribedAt) or resubscribes (clearing it); null for an
 * unknown id. updatedAt moves only when the state changes.
 */
export async function setUnsubscribed(
  sql: RawSql,
  accountId: string,
  id: string,
  unsubscribed: boolean,
  now = new Date(),
): Promise<ContactChange | null> {
  // The row as it was, locked before the update (in one statement: the UPDATE then sees it as locked).
  const [row] = await sql.$queryRaw<(ContactRow & { before: ContactRow })[]>`
    WITH old AS (SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.account_id = ${accountId} AND c.id = ${id} FOR UPDATE)
    UPDATE contacts c SET
      unsubscribed = ${unsubscribed},
      unsubscribed_at = CASE WHEN ${unsubscribed} THEN coalesce(c.unsubscribed_at, ${now}::timestamptz) END,
      updated_at = CASE WHEN c.unsubscribed = ${unsubscribed} THEN c.updated_at ELSE ${now}::timestamptz END
    FROM old o
    WHERE c.id = o.id
    RETURNING ${CONTACT_COLUMNS}, to_jsonb(o) AS before`;
  return row ? { before: toContact(row.before), contact: toContact(row) } : null;
}

/** Deletes those of `ids` the account has (memberships go with them); answers them as they were. */
export async function deleteContacts(sql: RawSql, accountId: string, ids: readonly string[]): Promise<Contact[]> {
  const rows = await sql.$queryRaw<ContactRow[]>`
    DELETE FROM contacts c WHERE c.account_id = ${accountId} AND c.id = ANY(${ids}::text[]) RETURNING ${CONTACT_COLUMNS}`;
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
