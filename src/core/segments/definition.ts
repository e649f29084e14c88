// A segment as a client defines it: its name, type, match and rules, checked for createSegment
// and updateSegment. Bad input is a list of UserErrors, never an exception.
import { type UserError, userError } from '../user-error.js';
import { checkRules, type SegmentRule, type SegmentRuleInput } from './rules.js';
import { isStorableText, UNSTORABLE_MESSAGE } from '../contacts/rules.js';

export const SEGMENT_NAME_LENGTH = 200;

export type SegmentType = 'STATIC' | 'DYNAMIC';
export type SegmentMatch = 'ALL' | 'ANY';

/** What decides a segment's members: enough of a segment for its contacts to be selected. */
export interface SegmentDefinition {
  id: string;
  type: SegmentType;
  match: SegmentMatch;
  /** The stored rules JSON. */
  rules: unknown;
}

/** Whose members a list means: a segment, or one the account does not have (no contacts). */
export type SegmentMembers = SegmentDefinition | 'missing';

export interface SegmentFields {
  name?: string;
  match?: SegmentMatch;
  rules?: SegmentRule[];
}

type Checked = { ok: true; value: SegmentFields } | { ok: false; errors: UserError[] };

interface SegmentInput {
  name?: string | null;
  match?: SegmentMatch | null;
  rules?: readonly SegmentRuleInput[] | null;
}

/** A new segment: a name, and for DYNAMIC at least one rule (STATIC takes none). */
export function checkNewSegment(type: SegmentType, input: SegmentInput & { name: string }): Checked {
  return checkFields(type, input, { creating: true });
}

/** Changes to a segment of `type`: only the fields given; rules given must suit the type. */
export function checkSegmentChanges(type: SegmentType, input: SegmentInput): Checked {
  return checkFields(type, input, { creating: false });
}

function checkFields(type: SegmentType, input: SegmentInput, { creating }: { creating: boolean }): Checked {
  const errors: UserError[] = [];
  const value: SegmentFields = {};

  if (input.name != null) {
    const name = input.name.trim();
    if (!name) errors.push(userError('INVALID', ['name'], 'name must not be empty'));
    else if (name.length > SEGMENT_NAME_LENGTH)
      errors.push(userError('TOO_LONG', ['name'], `name must be at most ${SEGMENT_NAME_LENGTH} characters`));
    else if (!isStorableText(name)) errors.push(userError('INVALID', ['name'], `name ${UNSTORABLE_MESSAGE}`));
    else value.name = name;
  }
  if (input.match != null) value.match = input.match;

  const rules = input.rules ?? (creating ? [] : undefined);
  if (rules && type === 'STATIC' && rules.length > 0) {
    errors.push(userError('INVALID', ['rules'], 'a STATIC segment has no rules: its members are added with addContactsToSegment'));
  } else if (rules && type === 'DYNAMIC' && rules.length === 0) {
    errors.push(userError('INVALID', ['rules'], 'a DYNAMIC segment needs at least one rule'));
  } else if (rules) {
    const checked = checkRules(rules, ['rules']);
    if (checked.ok) value.rules = checked.rules;
    else errors.push(...checked.errors);
  }
  return errors.length ? { ok: false, errors } : { ok: true, value };
}
