// Segment rows: the one lookup of a caller's segment, and writing a segment's definition. Always
// within the account: another account's id is treated exactly like one that does not exist.
import type { PrismaClient, Segment } from '../../../db/generated/prisma/client.js';
import { isIdOf, newId } from '../../ids.js';
import type { SegmentFields, SegmentType } from '../definition.js';
import type { RawSql } from '../../../db/transaction.js';
import { SEGMENT_COLUMNS, type SegmentRow, toSegment } from './rows.js';

/** The account's segment with this id, or null (unknown, another account's, or no segment id). */
export function findSegment(prisma: PrismaClient, accountId: string, id: string): Promise<Segment | null> {
  return isIdOf('segment', id) ? prisma.segment.findFirst({ where: { id, accountId } }) : Promise.resolve(null);
}

export async function insertSegment(
  sql: RawSql,
  accountId: string,
  type: SegmentType,
  { name = '', match, rules = [] }: SegmentFields,
  now = new Date(),
): Promise<Segment> {
  const [row] = await sql.$queryRaw<SegmentRow[]>`
    INSERT INTO segments AS s (id, account_id, name, type, match, rules, created_at, updated_at)
    VALUES (${newId('segment')}, ${accountId}, ${name}, ${type}::"SegmentType", ${match ?? 'ALL'}::"SegmentMatch",
            ${JSON.stringify(rules)}::jsonb, ${now}::timestamptz, ${now}::timestamptz)
    RETURNING ${SEGMENT_COLUMNS}`;
  return toSegment(row!);
}

/** The segment as it was and as it is now; null when the account has no such segment. */
export async function updateSegmentRow(
  sql: RawSql,
  accountId: string,
  id: string,
  { name, match, rules }: SegmentFields,
  now = new Date(),
): Promise<{ before: Segment; segment: Segment } | null> {
  const [row] = await sql.$queryRaw<(SegmentRow & { before: SegmentRow })[]>`
    WITH old AS (SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE s.account_id = ${accountId} AND s.id = ${id} FOR UPDATE)
    UPDATE segments s SET
      name = coalesce(${name ?? null}::text, s.name),
      match = coalesce(${match ?? null}::text::"SegmentMatch", s.match),
      rules = coalesce(${rules ? JSON.stringify(rules) : null}::jsonb, s.rules),
      updated_at = ${now}::timestamptz
    FROM old o WHERE s.id = o.id
    RETURNING ${SEGMENT_COLUMNS}, to_jsonb(o) AS before`;
  return row ? { before: toSegment(row.before), segment: toSegment(row) } : null;
}

/** Deletes the account's segment (its memberships go with it); answers it as it was, or null. */
export async function deleteSegmentRow(sql: RawSql, accountId: string, id: string): Promise<Segment | null> {
  if (!isIdOf('segment', id)) return null;
  const [row] = await sql.$queryRaw<SegmentRow[]>`
    DELETE FROM segments s WHERE s.account_id = ${accountId} AND s.id = ${id} RETURNING ${SEGMENT_COLUMNS}`;
  return row ? toSegment(row) : null;
}
