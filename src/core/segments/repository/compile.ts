// A dynamic segment's rules as ONE SQL condition over the contacts table aliased `c`, so that
// membership, counts and paging run in the database. Field names come from a fixed list; property
// keys and every value reach SQL as parameters only. Reads as number / instant go through the
// SQL functions of migration 20261126133000_segment_rules, which never raise on odd values.
//
// No rule ever yields NULL where it should hold: the negative operators test for the missing
// value first, so a rule is TRUE, or FALSE/NULL (both "no") and ALL/ANY can join them plainly.
import { Prisma } from '../../../db/generated/prisma/client.js';
import type { SegmentMatch } from '../definition.js';
import { propertyKeyOf, type RuleFieldKind, ruleColumn } from '../fields.js';
import type { SegmentRule } from '../rules.js';
import { type OffsetUnit, parseOffset } from '../values.js';

export function compileRules(match: SegmentMatch, rules: readonly SegmentRule[]): Prisma.Sql {
  // A DYNAMIC segment always has rules (checked when saved); none would match nothing.
  if (rules.length === 0) return Prisma.sql`FALSE`;
  return Prisma.sql`(${Prisma.join(rules.map(compileRule), match === 'ALL' ? ' AND ' : ' OR ')})`;
}

/** How a field reads: its text (NULL when missing or empty), and its instant for BEFORE/AFTER. */
interface Operand {
  text: Prisma.Sql;
  instant: Prisma.Sql;
  /** The property key, when the field is one: EQUALS and IN then compare property terms. */
  key?: string;
  /** The text is stored lower-case already (email), so an index on the column serves. */
  lowered?: boolean;
}

/** A column's operand by its kind (fields.ts); the column name comes from that fixed table. */
const OPERANDS: Record<RuleFieldKind, (column: Prisma.Sql) => Operand> = {
  email: (column) => textColumn(column, { lowered: true }),
  text: (column) => textColumn(Prisma.sql`nullif(${column}, '')`),
  boolean: (column) => textColumn(Prisma.sql`${column}::text`),
  instant: (column) => instantColumn(column),
};

function operandOf(field: string): Operand {
  const key = propertyKeyOf(field);
  if (key !== null) return { ...textColumn(Prisma.sql`nullif(c.properties ->> ${key}::text, '')`), key };
  const column = ruleColumn(field);
  if (!column) throw new Error(`no rule field ${field}`);
  return OPERANDS[column.kind](Prisma.raw(`c.${column.name}`));
}

function textColumn(text: Prisma.Sql, { lowered = false } = {}): Operand {
  return { text, instant: Prisma.sql`segment_instant(${text})`, lowered };
}

/** Its text is the API's DateTime form, e.g. 2026-03-23T10:00:00.000Z. */
function instantColumn(instant: Prisma.Sql): Operand {
  return { text: Prisma.sql`to_char(${instant} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, instant };
}

const NUMBER_COMPARISONS: Record<'GREATER_THAN' | 'GREATER_THAN_OR_EQUAL' | 'LESS_THAN' | 'LESS_THAN_OR_EQUAL', string> = {
  GREATER_THAN: '>',
  GREATER_THAN_OR_EQUAL: '>=',
  LESS_THAN: '<',
  LESS_THAN_OR_EQUAL: '<=',
};

export function compileRule(rule: SegmentRule): Prisma.Sql {
  const operand = operandOf(rule.field);
  const value = rule.value ?? '';
  const values = rule.values ?? [];
  const t = operand.lowered ? operand.text : Prisma.sql`lower(${operand.text})`;
  const v = Prisma.sql`lower(${value}::text)`;
  const list = Prisma.sql`(SELECT lower(x) FROM unnest(${values}::text[]) x)`;

  switch (rule.operator) {
    case 'EQUALS':
      return operand.key === undefined ? Prisma.sql`${t} = ${v}` : Prisma.sql`c.property_terms @> ${termsOf(operand.key, [value])}`;
    case 'NOT_EQUALS':
      return Prisma.sql`(${operand.text} IS NULL OR ${t} <> ${v})`;
    case 'CONTAINS':
      return Prisma.sql`strpos(${t}, ${v}) > 0`;
    case 'NOT_CONTAINS':
      return Prisma.sql`(${operand.text} IS NULL OR strpos(${t}, ${v}) = 0)`;
    case 'STARTS_WITH':
      return Prisma.sql`starts_with(${t}, ${v})`;
    case 'ENDS_WITH':
      return Prisma.sql`right(${t}, char_length(${v})) = ${v}`;
    case 'IN':
      return operand.key === undefined ? Prisma.sql`${t} IN ${list}` : Prisma.sql`c.property_terms && ${termsOf(operand.key, values)}`;
    case 'NOT_IN':
      return Prisma.sql`(${operand.text} IS NULL OR ${t} NOT IN ${list})`;
    case 'GREATER_THAN':
    case 'GREATER_THAN_OR_EQUAL':
    case 'LESS_THAN':
    case 'LESS_THAN_OR_EQUAL':
      return Prisma.sql`segment_number(${operand.text}) ${Prisma.raw(NUMBER_COMPARISONS[rule.operator])} segment_number(${value}::text)`;
    case 'BEFORE':
      return Prisma.sql`${operand.instant} < ${instantOf(value)}`;
    case 'AFTER':
      return Prisma.sql`${operand.instant} > ${instantOf(value)}`;
    case 'EXISTS':
      return Prisma.sql`${operand.text} IS NOT NULL`;
    case 'NOT_EXISTS':
      return Prisma.sql`${operand.text} IS NULL`;
  }
}

/**
 * The property terms (migration 20261126133000_segment_rules) of `key` holding each of `values`:
 * a contact's property equals one of the values, ignoring case and type, exactly when its stored
 * terms share one with these. The GIN index contacts_property_terms_idx answers that.
 */
function termsOf(key: string, values: readonly string[]): Prisma.Sql {
  return Prisma.sql`segment_value_terms(${key}::text, ${values}::text[])`;
}

const OFFSET_UNITS: Record<OffsetUnit, string> = { d: 'days', w: 'weeks', m: 'months', y: 'years' };

/**
 * A rule's instant. An offset is resolved against the statement's clock, in UTC (months and years
 * by the calendar: -1m from 31 March is 28 or 29 February), so membership moves with time.
 */
function instantOf(value: string): Prisma.Sql {
  const offset = parseOffset(value);
  if (!offset) return Prisma.sql`segment_instant(${value}::text)`;
  const unit = Prisma.raw(OFFSET_UNITS[offset.unit]);
  return Prisma.sql`((now() AT TIME ZONE 'UTC') + make_interval(${unit} => ${offset.amount}::int)) AT TIME ZONE 'UTC'`;
}
