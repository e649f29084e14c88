// The fields a segment rule may name (SEMANTICS.md, Segments): one table read by the rule check
// (rules.ts), by the SQL compiler (repository/compile.ts) and by the descriptions that list them.
// A property may hold anything, so `properties.<key>` takes every operator; a column takes only
// the operators that can ever hold for it.
import { isPropertyKey } from '../contacts/rules.js';
import type { SegmentOperator } from './operators.js';
import { INSTANT_OPERATORS, PRESENCE_OPERATORS, TEXT_OPERATORS } from './operators.js';

/**
 * How a field compares. text: the column's text, an empty one read as missing; email: stored
 * lower-case and never empty; boolean: the text true or false; instant: a timestamp.
 */
export type RuleFieldKind = 'text' | 'email' | 'boolean' | 'instant';

export interface RuleField {
  /** The stored spelling, also the contacts column. */
  name: string;
  /** Other spellings a client may send (camelCase). */
  aliases: readonly string[];
  kind: RuleFieldKind;
  operators: ReadonlySet<SegmentOperator>;
}

const TEXT = new Set([...TEXT_OPERATORS, ...PRESENCE_OPERATORS]);
const INSTANT = new Set([...INSTANT_OPERATORS, ...PRESENCE_OPERATORS]);

export const RULE_FIELDS: readonly RuleField[] = [
  { name: 'email', aliases: [], kind: 'email', operators: TEXT },
  { name: 'first_name', aliases: ['firstName'], kind: 'text', operators: TEXT },
  { name: 'last_name', aliases: ['lastName'], kind: 'text', operators: TEXT },
  { name: 'unsubscribed', aliases: [], kind: 'boolean', operators: TEXT },
  { name: 'created_at', aliases: ['createdAt'], kind: 'instant', operators: INSTANT },
  { name: 'updated_at', aliases: ['updatedAt'], kind: 'instant', operators: INSTANT },
];

export const PROPERTY_PREFIX = 'properties.';

/** What a field compares as, in words, for messages. */
export const KIND_LABELS: Record<RuleFieldKind, string> = {
  text: 'text',
  email: 'text',
  boolean: 'the text true or false',
  instant: 'an instant',
};

/** "email, first_name, …, updated_at or properties.<key>": the fields as the API documents them. */
export const RULE_FIELD_LIST = `${RULE_FIELDS.map((field) => field.name).join(', ')} or ${PROPERTY_PREFIX}<key>`;

const BY_SPELLING = new Map(RULE_FIELDS.flatMap((field) => [field.name, ...field.aliases].map((spelling) => [spelling, field] as const)));

/** The column a stored field names, or undefined for a property (or a name that is no field). */
export function ruleColumn(name: string): RuleField | undefined {
  const field = BY_SPELLING.get(name);
  return field?.name === name ? field : undefined;
}

/** The stored spelling of a field, or null when it is no field a rule may name. */
export function normaliseField(spelling: string): string | null {
  const column = BY_SPELLING.get(spelling);
  if (column) return column.name;
  if (spelling.startsWith(PROPERTY_PREFIX) && isPropertyKey(spelling.slice(PROPERTY_PREFIX.length))) return spelling;
  return null;
}

/** The property key of a stored field, or null for a column. */
export function propertyKeyOf(field: string): string | null {
  return field.startsWith(PROPERTY_PREFIX) ? field.slice(PROPERTY_PREFIX.length) : null;
}
