// What can be done to an account's segments, in domain values: checked definitions in, a segment
// or user errors out, every error at its path in the input. The SQL is in repository/.
import type { Database } from '../../db/database.js';
import type { KeysetWindow } from '../../db/keyset.js';
import { idKind } from '../ids.js';
import { type ErrorPath, type Outcome, type UserError, userError } from '../user-error.js';
import { checkNewSegment, checkSegmentChanges, type SegmentMatch, type SegmentMembers, type SegmentType } from './definition.js';
import { countSegments, listSegments, listSegmentsByOffset, type SegmentFilter } from './repository/listing.js';
import { addMembers, removeMembers, unknownContactIds } from './repository/membership.js';
import { segmentsOfContacts as segmentsOfContactRows } from './repository/of-contacts.js';
import { deleteSegmentRow, findSegment as findSegmentRow, insertSegment, updateSegmentRow } from './repository/segments.js';
import type { SegmentRuleInput } from './rules.js';
import type { Segment } from './segment.js';
import { setTransaction } from '../../db/transaction.js';
import { segmentJson } from '../json.js';
import { type Caller, type NewEvent, writeEvents } from '../events/service.js';

/** The most contacts one membership change takes; more is a limit, refused by the surface. */
export const MAX_MEMBERSHIP_CHANGES = 1000;

const failed = <T>(...errors: UserError[]): Outcome<T> => ({ ok: false, errors });
const notFound = (path: ErrorPath) => userError('NOT_FOUND', path, 'there is no segment with this id');

export interface SegmentInput {
  name?: string | null;
  match?: SegmentMatch | null;
  rules?: readonly SegmentRuleInput[] | null;
}

/** The caller's segment with this id, or null (unknown, another account's, or no segment id). */
export function findSegment(db: Database, accountId: string, id: string): Promise<Segment | null> {
  return findSegmentRow(db.prisma, accountId, id);
}

/** Whose members `segmentId` means in a list or an export: an unknown segment has none. */
export async function segmentMembers(db: Database, accountId: string, segmentId: string): Promise<SegmentMembers> {
  return (await findSegment(db, accountId, segmentId)) ?? 'missing';
}

/**
 * The caller's STATIC segment with this id: what imports and membership changes write to. A
 * DYNAMIC one is NOT_ALLOWED (`dynamicMessage` says why, in the caller's words).
 */
export async function staticSegment(
  db: Database,
  accountId: string,
  id: string,
  path: ErrorPath,
  dynamicMessage: string,
): Promise<Outcome<Segment>> {
  const segment = await findSegment(db, accountId, id);
  if (!segment) return failed(notFound(path));
  if (segment.type !== 'STATIC') return failed(userError('NOT_ALLOWED', path, dynamicMessage));
  return { ok: true, value: segment };
}

export async function createSegment(
  db: Database,
  caller: Caller,
  input: SegmentInput & { name: string; type: SegmentType },
): Promise<Outcome<Segment>> {
  const checked = checkNewSegment(input.type, input);
  if (!checked.ok) return failed(...checked.errors);
  const segment = await setTransaction(db, async (tx) => {
    const created = await insertSegment(tx, caller.accountId, input.type, checked.value);
    await writeEvents(tx, caller, [{ type: 'segment.created', data: segmentJson(created) }]);
    return created;
  });
  return { ok: true, value: segment };
}

/** Changes only the fields given; rules given replace all the rules. */
export async function updateSegment(db: Database, caller: Caller, id: string, fields: SegmentInput): Promise<Outcome<Segment>> {
  const existing = await findSegment(db, caller.accountId, id);
  if (!existing) return failed(notFound(['id']));
  const checked = checkSegmentChanges(existing.type, fields);
  if (!checked.ok) return failed(...checked.errors);
  const change = await setTransaction(db, async (tx) => {
    const changed = await updateSegmentRow(tx, caller.accountId, id, checked.value);
    if (!changed) return null;
    const event = { type: 'segment.updated', data: segmentJson(changed.segment), before: segmentJson(changed.before) } as const;
    await writeEvents(tx, caller, [event]);
    return changed;
  });
  return change ? { ok: true, value: change.segment } : failed(notFound(['id']));
}

/** Removes the segment and its memberships (only segment.deleted is written); the contacts stay. Answers its id. */
export async function deleteSegment(db: Database, caller: Caller, id: string): Promise<Outcome<string>> {
  const deleted = await setTransaction(db, async (tx) => {
    const segment = await deleteSegmentRow(tx, caller.accountId, id);
    if (segment) await writeEvents(tx, caller, [{ type: 'segment.deleted', data: segmentJson(segment) }]);
    return segment;
  });
  return deleted ? { ok: true, value: id } : failed(notFound(['id']));
}

export interface MembershipInput {
  segmentId: string;
  contactIds: readonly string[];
}

/**
 * Adds contacts to, or removes them from, a STATIC segment: all or nothing. Any id that names
 * none of the account's contacts is NOT_FOUND at ["contactIds", index] and nothing changes.
 */
export async function changeMembers(
  db: Database,
  caller: Caller,
  change: 'add' | 'remove',
  input: MembershipInput,
): Promise<Outcome<Segment>> {
  const { accountId } = caller;
  const target = await staticSegment(
    db,
    accountId,
    input.segmentId,
    ['segmentId'],
    'a DYNAMIC segment holds the contacts its rules match; its members cannot be added or removed',
  );
  if (!target.ok) return target;
  const contactIds = [...new Set(input.contactIds)];
  const unknown = await unknownContactIds(
    db.prisma,
    accountId,
    contactIds.filter((id) => idKind(id) === 'contact'),
  );
  const errors = input.contactIds.flatMap((id, index) =>
    idKind(id) !== 'contact' || unknown.has(id) ? [userError('NOT_FOUND', ['contactIds', index], `there is no contact ${id}`)] : [],
  );
  if (errors.length) return failed(...errors);
  await setTransaction(db, async (tx) => {
    const changed =
      change === 'add'
        ? await addMembers(tx, caller.accountId, target.value.id, contactIds)
        : await removeMembers(tx, target.value.id, contactIds);
    await writeEvents(
      tx,
      caller,
      membershipEvent(change === 'add' ? 'segment.contacts_added' : 'segment.contacts_removed', target.value.id, contactIds, changed),
    );
  });
  return target;
}

/**
 * The event of a membership change, listing only the contacts it actually added or removed (in
 * the order given); none when it changed nothing.
 */
export function membershipEvent(
  type: 'segment.contacts_added' | 'segment.contacts_removed',
  segmentId: string,
  given: readonly string[],
  changed: readonly string[],
  importJobId: string | null = null,
): NewEvent[] {
  const changedIds = new Set(changed);
  const contactIds = [...new Set(given)].filter((id) => changedIds.has(id));
  return contactIds.length ? [{ type, importJobId, data: { segment_id: segmentId, contact_ids: contactIds } }] : [];
}

export { segmentPosition } from './repository/listing.js';

/** A keyset page of the account's segments, newest first, optionally searched by name. */
export function segmentPage(db: Database, filter: SegmentFilter, window: KeysetWindow): Promise<Segment[]> {
  return listSegments(db.prisma, filter, window);
}

/** A numbered page (offset paging) of the same list. */
export function segmentPageAt(db: Database, filter: SegmentFilter, offset: number, limit: number): Promise<Segment[]> {
  return listSegmentsByOffset(db.prisma, filter, offset, limit);
}

export function segmentCount(db: Database, filter: SegmentFilter): Promise<number> {
  return countSegments(db.prisma, filter);
}

/** Per contact, the static segments holding it and the dynamic ones matching it, newest first. */
export function segmentsOfContacts(db: Database, accountId: string, contactIds: readonly string[]): Promise<Map<string, Segment[]>> {
  return segmentsOfContactRows(db.prisma, accountId, contactIds);
}
