// The explicit members of STATIC segments. Writes are set-based: one statement per call.
import type { PrismaClient } from '../../../db/generated/prisma/client.js';
import type { RawSql } from '../../../db/transaction.js';

/** The ids among `ids` that name no contact of the account. */
export async function unknownContactIds(prisma: PrismaClient, accountId: string, ids: readonly string[]): Promise<Set<string>> {
  const found = await prisma.$queryRaw<{ id: string }[]>`
    SELECT c.id FROM contacts c WHERE c.account_id = ${accountId} AND c.id = ANY(${ids}::text[])`;
  const known = new Set(found.map((row) => row.id));
  return new Set(ids.filter((id) => !known.has(id)));
}

/**
 * Adds the account's contacts among `ids`; a contact already in the segment stays as it was.
 * Answers the ids actually added. Run by addContactsToSegment and, inside each batch's
 * transaction, by an import into a segment.
 */
export async function addMembers(sql: RawSql, accountId: string, segmentId: string, ids: readonly string[]): Promise<string[]> {
  const rows = await sql.$queryRaw<{ id: string }[]>`
    INSERT INTO segment_memberships (segment_id, contact_id)
    SELECT ${segmentId}, c.id FROM contacts c WHERE c.account_id = ${accountId} AND c.id = ANY(${ids}::text[])
    ON CONFLICT DO NOTHING
    RETURNING contact_id AS id`;
  return rows.map((row) => row.id);
}

/** Answers the ids actually removed. */
export async function removeMembers(sql: RawSql, segmentId: string, ids: readonly string[]): Promise<string[]> {
  const rows = await sql.$queryRaw<{ id: string }[]>`
    DELETE FROM segment_memberships WHERE segment_id = ${segmentId} AND contact_id = ANY(${ids}::text[]) RETURNING contact_id AS id`;
  return rows.map((row) => row.id);
}
