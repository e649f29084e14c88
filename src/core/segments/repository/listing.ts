// An account's segments, newest first, by keyset pages, optionally searched by name.
import { Prisma, type PrismaClient, type Segment } from '../../../db/generated/prisma/client.js';
import { type KeysetOrder, type KeysetWindow, keysetClauses, type Position } from '../../../db/keyset.js';
import { SEGMENT_COLUMNS, type SegmentRow, toSegment } from './rows.js';

export interface SegmentFilter {
  accountId: string;
  /** Case-insensitive substring of the name. */
  search?: string | null;
}

/** The order of every segment list: Query.segments and Contact.segments. */
export const SEGMENT_ORDER: KeysetOrder = {
  column: Prisma.sql`s.created_at`,
  id: Prisma.sql`s.id`,
  type: 'timestamptz',
  direction: 'DESC',
};

export function segmentPosition(segment: Segment): Position {
  return [segment.createdAt.toISOString(), segment.id];
}

function filterConditions(filter: SegmentFilter): Prisma.Sql {
  const term = filter.search?.trim();
  return term
    ? Prisma.sql`s.account_id = ${filter.accountId} AND strpos(lower(s.name), lower(${term}::text)) > 0`
    : Prisma.sql`s.account_id = ${filter.accountId}`;
}

export async function listSegments(prisma: PrismaClient, filter: SegmentFilter, window: KeysetWindow): Promise<Segment[]> {
  const { where, orderBy, limit } = keysetClauses(SEGMENT_ORDER, window);
  const rows = await prisma.$queryRaw<SegmentRow[]>`
    SELECT ${SEGMENT_COLUMNS} FROM segments s
    WHERE ${filterConditions(filter)} AND ${where}
    ORDER BY ${orderBy} LIMIT ${limit}`;
  return rows.map(toSegment);
}

export async function countSegments(prisma: PrismaClient, filter: SegmentFilter): Promise<number> {
  const [row] = await prisma.$queryRaw<
    { count: bigint | number }[]
  >`SELECT count(*) AS count FROM segments s WHERE ${filterConditions(filter)}`;
  return Number(row?.count ?? 0);
}

/** A numbered page (offset paging) of the same list, for the REST API's page and per_page. */
export async function listSegmentsByOffset(prisma: PrismaClient, filter: SegmentFilter, offset: number, limit: number): Promise<Segment[]> {
  const rows = await prisma.$queryRaw<SegmentRow[]>`
    SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE ${filterConditions(filter)}
    ORDER BY s.created_at DESC, s.id DESC OFFSET ${offset} LIMIT ${limit}`;
  return rows.map(toSegment);
}
