// Which contacts a segment holds, as ONE parameterised SQL condition over the contacts table
// aliased `c`. Used by every reader that selects a segment's contacts: the contact listing and
// count, the export, Contact.segments.
import { compileRules } from './compile.js';
import type { SegmentDefinition, SegmentMembers } from '../definition.js';
import { storedRules } from '../rules.js';
import { Prisma } from '../../../db/generated/prisma/client.js';

/** STATIC: an explicit membership; DYNAMIC: the compiled rules, evaluated at query time. */
export function segmentCondition(segment: SegmentDefinition): Prisma.Sql {
  if (segment.type === 'STATIC') {
    return Prisma.sql`EXISTS (SELECT 1 FROM segment_memberships m WHERE m.segment_id = ${segment.id}::text AND m.contact_id = c.id)`;
  }
  return compileRules(segment.match, storedRules(segment.rules));
}

/** The condition of a segment's members; a missing segment's members are none. */
export function membersCondition(members: SegmentMembers): Prisma.Sql {
  return members === 'missing' ? Prisma.sql`FALSE` : segmentCondition(members);
}
