// Segment rows: the one lookup of a caller's segment, and writing a segment's definition. Always
// within the account: another account's id is treated exactly like one that does not exist.
import type { PrismaClient, Segment } from '../../../db/generated/prisma/client.js';
import { isIdOf, newId } from '../../ids.js';
import type { SegmentFields, SegmentType } from '../definition.js';
import type { SegmentRule } from '../rules.js';

/** The account's segment with this id, or null (unknown, another account's, or no segment id). */
export function findSegment(prisma: PrismaClient, accountId: string, id: string): Promise<Segment | null> {
  return isIdOf('segment', id) ? prisma.segment.findFirst({ where: { id, accountId } }) : Promise.resolve(null);
}

export function insertSegment(
  prisma: PrismaClient,
  accountId: string,
  type: SegmentType,
  { name = '', match, rules = [] }: SegmentFields,
): Promise<Segment> {
  return prisma.segment.create({
    data: { id: newId('segment'), accountId, name, type, ...(match && { match }), rules: rulesJson(rules) },
  });
}

export function updateSegmentRow(prisma: PrismaClient, id: string, { rules, ...rest }: SegmentFields): Promise<Segment> {
  return prisma.segment.update({ where: { id }, data: { ...rest, ...(rules && { rules: rulesJson(rules) }) } });
}

/** Whether the account had the segment (its memberships go with it). */
export async function deleteSegmentRow(prisma: PrismaClient, accountId: string, id: string): Promise<boolean> {
  if (!isIdOf('segment', id)) return false;
  const { count } = await prisma.segment.deleteMany({ where: { id, accountId } });
  return count > 0;
}

/** Rules as Prisma's Json input, which admits no interface without an index signature. */
function rulesJson(rules: readonly SegmentRule[]): object[] {
  return rules as object[];
}
