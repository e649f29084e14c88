// Segments read with raw SQL come back in the shape Prisma gives: select SEGMENT_COLUMNS from
// `segments s` and pass each row through toSegment.
import { Prisma, type Segment } from '../../../db/generated/prisma/client.js';

export const SEGMENT_COLUMNS = Prisma.sql`s.id, s.account_id AS "accountId", s.name, s.type::text AS type,
  s.match::text AS match, s.rules, s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

export interface SegmentRow extends Omit<Segment, 'createdAt' | 'updatedAt' | 'rules'> {
  rules: unknown;
  createdAt: Date | string;
  updatedAt: Date | string;
}

export function toSegment(row: SegmentRow): Segment {
  return {
    ...row,
    rules: typeof row.rules === 'string' ? (JSON.parse(row.rules) as Prisma.JsonValue) : (row.rules as Prisma.JsonValue),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}
