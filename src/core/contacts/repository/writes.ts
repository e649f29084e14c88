// Writing single contacts and deleting many, always within the caller's account: an id of
// another account is treated exactly like one that does not exist.
import { type ContactChanges, mergeProperties } from '../changes.js';
import { CONTACT_LIMITS, splitPatch } from '../rules.js';
import { newId } from '../../ids.js';
import { CONTACT_COLUMNS, type ContactRow, toContact } from './rows.js';
import type { Contact, PrismaClient } from '../../../db/generated/prisma/client.js';
import { isUniqueViolation } from '../../../db/errors.js';
import type { Database } from '../../../db/database.js';
import { setTransaction } from '../../../db/transaction.js';

/** The new contact, or null when the account already has one with this email. */
export async function insertContact(
  prisma: PrismaClient,
  accountId: string,
  changes: ContactChanges & { email: string },
  now = new Date(),
): Promise<Contact | null> {
  try {
    return await prisma.contact.create({
      data: {
        id: newId('contact'),
        accountId,
        email: changes.email,
        firstName: changes.firstName ?? null,
        lastName: changes.lastName ?? null,
        properties: splitPatch(changes.properties ?? {}).set,
        unsubscribed: changes.unsubscribed ?? false,
        unsubscribedAt: changes.unsubscribed ? now : null,
        createdAt: now,
        updatedAt: now,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export type UpdateOutcome = { contact: Contact } | { error: 'NOT_FOUND' | 'TAKEN' | 'LIMIT_EXCEEDED' };

/** Applies the given changes; properties merge key by key into the stored ones. */
export async function updateContact(
  db: Database,
  accountId: string,
  id: string,
  changes: ContactChanges,
  now = new Date(),
): Promise<UpdateOutcome> {
  try {
    return await setTransaction(db, async (sql) => {
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
      return { contact: toContact(updated!) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { error: 'TAKEN' };
    throw error;
  }
}

/**
 * Unsubscribes (keeping the first unsubscribedAt) or resubscribes (clearing it); null for an
 * unknown id. updatedAt moves only when the state changes.
 */
export async function setUnsubscribed(
  prisma: PrismaClient,
  accountId: string,
  id: string,
  unsubscribed: boolean,
  now = new Date(),
): Promise<Contact | null> {
  const [row] = await prisma.$queryRaw<ContactRow[]>`
    UPDATE contacts c SET
      unsubscribed = ${unsubscribed},
      unsubscribed_at = CASE WHEN ${unsubscribed} THEN coalesce(c.unsubscribed_at, ${now}::timestamptz) END,
      updated_at = CASE WHEN c.unsubscribed = ${unsubscribed} THEN c.updated_at ELSE ${now}::timestamptz END
    WHERE c.account_id = ${accountId} AND c.id = ${id}
    RETURNING ${CONTACT_COLUMNS}`;
  return row ? toContact(row) : null;
}

/** Deletes those of `ids` the account has (memberships go with them); answers their ids. */
export async function deleteContacts(prisma: PrismaClient, accountId: string, ids: readonly string[]): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    DELETE FROM contacts c WHERE c.account_id = ${accountId} AND c.id = ANY(${ids}::text[]) RETURNING c.id`;
  return rows.map((row) => row.id);
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
