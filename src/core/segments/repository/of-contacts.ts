// Contact.segments for a batch of contacts: the static segments holding them and the dynamic
// segments whose rules match them, by the same compiled conditions as Segment.contacts.
// All of an account's dynamic segments are tested in one statement (a LATERAL list of their
// conditions over the batch's contacts), not one query per segment or per contact.
import { Prisma, type PrismaClient, type Segment } from '../../../db/generated/prisma/client.js';
import type { SegmentDefinition } from '../definition.js';
import { segmentCondition } from './condition.js';
import { SEGMENT_COLUMNS, type SegmentRow, toSegment } from './rows.js';

/**
 * PostgreSQL takes at most 65535 parameters a statement: dynamic segments are tested in groups
 * that stay well below, which is one group unless an account has hundreds of large segments.
 */
const PARAMETERS_PER_STATEMENT = 30_000;

/** Per contact, its segments newest first (as the segment list orders them). */
export async function segmentsOfContacts(
  prisma: PrismaClient,
  accountId: string,
  contactIds: readonly string[],
): Promise<Map<string, Segment[]>> {
  const dynamic = await prisma.segment.findMany({
    where: { accountId, type: 'DYNAMIC' },
    select: { id: true, type: true, match: true, rules: true },
  });
  const statements = segmentsOfContactsSql(accountId, contactIds, dynamic);
  const rows = (await Promise.all(statements.map((sql) => prisma.$queryRaw<(SegmentRow & { contactId: string })[]>(sql)))).flat();

  const byContact = new Map<string, Segment[]>(contactIds.map((id) => [id, []]));
  for (const { contactId, ...row } of rows) byContact.get(contactId)?.push(toSegment(row));
  for (const segments of byContact.values()) segments.sort(newestFirst);
  return byContact;
}

/** The statements answering segmentsOfContacts: one, unless the dynamic segments need several. */
export function segmentsOfContactsSql(accountId: string, contactIds: readonly string[], dynamic: SegmentDefinition[]): Prisma.Sql[] {
  const groups = groupByParameters(dynamic.map((segment) => Prisma.sql`(${segment.id}::text, ${segmentCondition(segment)})`));
  const parts = [
    Prisma.sql`SELECT m.contact_id, m.segment_id FROM segment_memberships m WHERE m.contact_id = ANY(${contactIds}::text[])`,
    ...groups.map(
      (conditions) => Prisma.sql`SELECT c.id, d.segment_id FROM contacts c
        CROSS JOIN LATERAL (VALUES ${Prisma.join(conditions)}) AS d(segment_id, matches)
        WHERE c.account_id = ${accountId} AND c.id = ANY(${contactIds}::text[]) AND d.matches`,
    ),
  ];
  const unions = groups.length <= 1 ? [parts] : parts.map((part) => [part]);
  return unions.map(
    (union) => Prisma.sql`
      SELECT x.contact_id AS "contactId", ${SEGMENT_COLUMNS}
      FROM (${Prisma.join(union, ' UNION ALL ')}) AS x(contact_id, segment_id)
      JOIN segments s ON s.id = x.segment_id AND s.account_id = ${accountId}`,
  );
}

function newestFirst(a: Segment, b: Segment): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function groupByParameters(items: Prisma.Sql[]): Prisma.Sql[][] {
  const groups: Prisma.Sql[][] = [];
  let size = Infinity;
  for (const item of items) {
    if (size + item.values.length > PARAMETERS_PER_STATEMENT) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)!.push(item);
    size += item.values.length;
  }
  return groups;
}
