// Which contacts a segment holds, as ONE parameterised SQL condition over the contacts table
// aliased `c`. Used wherever a segment selects contacts: Segment.contacts and contactCount,
// contacts(segmentId:), the export by segment, Contact.segments.
import { compileRules } from './compile.js';
import type { SegmentMatch, SegmentType } from '../definition.js';
import { storedRules } from '../rules.js';
import { isIdOf } from '../../ids.js';
import { Prisma, type PrismaClient } from '../../../db/generated/prisma/client.js';

export interface SegmentDefinition {
  id: string;
  type: SegmentType;
  match: SegmentMatch;
  /** The stored rules JSON. */
  rules: unknown;
}

/** STATIC: an explicit membership; DYNAMIC: the compiled rules, evaluated at query time. */
export function segmentCondition(segment: SegmentDefinition): Prisma.Sql {
  if (segment.type === 'STATIC') {
    return Prisma.sql`EXISTS (SELECT 1 FROM segment_memberships m WHERE m.segment_id = ${segment.id}::text AND m.contact_id = c.id)`;
  }
  return compileRules(segment.match, storedRules(segment.rules));
}

/** The condition of the account's segment `segmentId`; null for an unknown ID, another account's, or no segment ID at all. */
export async function loadSegmentCondition(prisma: PrismaClient, accountId: string, segmentId: string): Promise<Prisma.Sql | null> {
  if (!isIdOf('segment', segmentId)) return null;
  const segment = await prisma.segment.findFirst({
    where: { id: segmentId, accountId },
    select: { id: true, type: true, match: true, rules: true },
  });
  return segment ? segmentCondition(segment) : null;
}
