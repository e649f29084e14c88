// Segment rules (SEMANTICS.md, Segments): the check that turns what a client sent into the stored
// form, every problem a UserError at the rule's path (["rules", 1, "operator"] for the rules of an
// input) naming the rule. The fields a rule may name and what they take are in fields.ts.
import { isStorableText, UNSTORABLE_MESSAGE } from '../contacts/rules.js';
import { type ErrorPath, type UserError, type UserErrorCode, userError } from '../user-error.js';
import { KIND_LABELS, normaliseField, RULE_FIELD_LIST, ruleColumn } from './fields.js';
import { INSTANT_OPERATORS, LIST_OPERATORS, NUMBER_OPERATORS, PRESENCE_OPERATORS, type SegmentOperator } from './operators.js';
import { parseOffset, readsAsInstant, readsAsNumber } from './values.js';

export const SEGMENT_LIMITS = { rules: 50, values: 500, valueLength: 2000 } as const;

/** A rule as stored: field in snake_case; value or values as its operator takes. */
export interface SegmentRule {
  field: string;
  operator: SegmentOperator;
  value?: string;
  values?: string[];
}

export interface SegmentRuleInput {
  field: string;
  operator: SegmentOperator;
  value?: string | null;
  values?: readonly string[] | null;
}

export type CheckedRules = { ok: true; rules: SegmentRule[] } | { ok: false; errors: UserError[] };

/** Checks every rule; `path` is where the rules sit in the input, e.g. ["rules"]. */
export function checkRules(inputs: readonly SegmentRuleInput[], path: ErrorPath): CheckedRules {
  if (inputs.length > SEGMENT_LIMITS.rules) {
    return {
      ok: false,
      errors: [userError('LIMIT_EXCEEDED', path, `a segment has at most ${SEGMENT_LIMITS.rules} rules (got ${inputs.length})`)],
    };
  }
  const errors: UserError[] = [];
  const rules: SegmentRule[] = [];
  inputs.forEach((input, index) => {
    const problems = checkRule(input, [...path, index], `rule ${index}`);
    if ('rule' in problems) rules.push(problems.rule);
    else errors.push(...problems.errors);
  });
  return errors.length ? { ok: false, errors } : { ok: true, rules };
}

/** The rules column as read back; it only ever holds what checkRules gave. */
export function storedRules(json: unknown): SegmentRule[] {
  return Array.isArray(json) ? (json as SegmentRule[]) : [];
}

function checkRule(input: SegmentRuleInput, path: ErrorPath, name: string): { rule: SegmentRule } | { errors: UserError[] } {
  const problem = (code: UserErrorCode, part: string, message: string) => userError(code, [...path, part], `${name}: ${message}`);
  const invalid = (part: string, message: string) => problem('INVALID', part, message);
  const { operator } = input;
  const field = normaliseField(input.field);
  if (!field) {
    return {
      errors: [invalid('field', `"${input.field}" is no rule field; use ${RULE_FIELD_LIST}`)],
    };
  }
  const column = ruleColumn(field);
  if (column && !column.operators.has(operator)) {
    return { errors: [invalid('operator', `${field} compares as ${KIND_LABELS[column.kind]}, so ${operator} cannot hold for it`)] };
  }

  const errors: UserError[] = [];
  const value = input.value ?? undefined;
  const values = input.values ?? undefined;
  const takesList = LIST_OPERATORS.has(operator);
  const takesValue = !takesList && !PRESENCE_OPERATORS.has(operator);

  if (value !== undefined && !takesValue) {
    errors.push(invalid('value', takesList ? `${operator} takes values, not value` : `${operator} takes no value`));
  } else if (value === undefined && takesValue) {
    errors.push(invalid('value', `${operator} needs a value`));
  } else if (value !== undefined) {
    const found = valueProblem(operator, value);
    if (found) errors.push(problem(found.code, 'value', found.message));
  }

  if (values !== undefined && !takesList) {
    errors.push(invalid('values', `${operator} takes ${takesValue ? 'value, not values' : 'no values'}`));
  } else if (values === undefined && takesList) {
    errors.push(invalid('values', `${operator} needs values`));
  } else if (values !== undefined) {
    const found = valuesProblem(values);
    if (found) errors.push(problem(found.code, 'values', found.message));
  }

  if (errors.length) return { errors };
  return { rule: { field, operator, ...(value !== undefined ? { value } : {}), ...(values !== undefined ? { values: [...values] } : {}) } };
}

function valueProblem(operator: SegmentOperator, value: string): Problem | null {
  if (value.length > SEGMENT_LIMITS.valueLength)
    return { code: 'TOO_LONG', message: `a value has at most ${SEGMENT_LIMITS.valueLength} characters` };
  if (value === '') return { code: 'INVALID', message: `${operator} needs a non-empty value (NOT_EXISTS finds empty fields)` };
  if (!isStorableText(value)) return { code: 'INVALID', message: `the value ${UNSTORABLE_MESSAGE}` };
  if (NUMBER_OPERATORS.has(operator) && !readsAsNumber(value)) {
    return { code: 'INVALID', message: `${operator} compares numbers, and "${value}" is no number` };
  }
  if (INSTANT_OPERATORS.has(operator) && !readsAsInstant(value) && !parseOffset(value)) {
    return {
      code: 'INVALID',
      message: `${operator} takes an ISO date or date-time, or an offset such as -30d, -4w, -6m or -1y; "${value}" is neither`,
    };
  }
  return null;
}

function valuesProblem(values: readonly string[]): Problem | null {
  if (values.length === 0) return { code: 'INVALID', message: 'values needs at least one entry' };
  if (values.length > SEGMENT_LIMITS.values)
    return { code: 'LIMIT_EXCEEDED', message: `values has at most ${SEGMENT_LIMITS.values} entries (got ${values.length})` };
  const empty = values.findIndex((value) => value === '');
  if (empty >= 0) return { code: 'INVALID', message: `values[${empty}] is empty (NOT_EXISTS finds empty fields)` };
  const unstorable = values.findIndex((value) => !isStorableText(value));
  if (unstorable >= 0) return { code: 'INVALID', message: `values[${unstorable}] ${UNSTORABLE_MESSAGE}` };
  const long = values.findIndex((value) => value.length > SEGMENT_LIMITS.valueLength);
  if (long >= 0) return { code: 'TOO_LONG', message: `values[${long}] has more than ${SEGMENT_LIMITS.valueLength} characters` };
  return null;
}

type Problem = { code: UserErrorCode; message: string };
