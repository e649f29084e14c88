// A small reference evaluator of segment rules, written from SEMANTICS.md (Segments) and the
// decisions the README states, independently of the SQL compiler: the one-meaning test checks the
// database against it. Deliberately plain: per contact, per rule, in TypeScript.

export interface RefContact {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  properties: Record<string, string | number | boolean>;
  unsubscribed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefRule {
  field: string;
  operator: string;
  value?: string;
  values?: string[];
}

export interface RefSegment {
  id: string;
  type: 'STATIC' | 'DYNAMIC';
  match: 'ALL' | 'ANY';
  rules: RefRule[];
  members?: Set<string>;
}

export function isMember(segment: RefSegment, contact: RefContact, now: Date): boolean {
  if (segment.type === 'STATIC') return segment.members?.has(contact.id) ?? false;
  const results = segment.rules.map((rule) => holds(rule, contact, now));
  return segment.match === 'ALL' ? results.every(Boolean) : results.some(Boolean);
}

const SNAKE: Record<string, string> = { firstName: 'first_name', lastName: 'last_name', createdAt: 'created_at', updatedAt: 'updated_at' };

/** The field's value: text, or an instant for the timestamp columns; null when missing or empty. */
function fieldValue(field: string, contact: RefContact): string | Date | null {
  const name = SNAKE[field] ?? field;
  if (name === 'created_at') return contact.createdAt;
  if (name === 'updated_at') return contact.updatedAt;
  let text: string | null;
  if (name === 'email') text = contact.email;
  else if (name === 'first_name') text = contact.firstName;
  else if (name === 'last_name') text = contact.lastName;
  else if (name === 'unsubscribed') text = contact.unsubscribed ? 'true' : 'false';
  else {
    const value = contact.properties[name.slice('properties.'.length)];
    text = value === undefined ? null : String(value);
  }
  return text === '' ? null : text;
}

function holds(rule: RefRule, contact: RefContact, now: Date): boolean {
  const value = fieldValue(rule.field, contact);
  const negative = ['NOT_EQUALS', 'NOT_CONTAINS', 'NOT_IN', 'NOT_EXISTS'].includes(rule.operator);
  if (value === null) return negative;
  if (rule.operator === 'EXISTS') return true;
  if (rule.operator === 'NOT_EXISTS') return false;

  if (rule.operator === 'BEFORE' || rule.operator === 'AFTER') {
    const instant = value instanceof Date ? value : readInstant(value);
    const bound = ruleInstant(rule.value!, now);
    if (!instant || !bound) return false;
    return rule.operator === 'BEFORE' ? instant.getTime() < bound.getTime() : instant.getTime() > bound.getTime();
  }
  // Timestamp columns take only the instant operators and EXISTS (the API refuses the rest).
  const text = (value as string).toLowerCase();
  const wanted = (rule.value ?? '').toLowerCase();
  const list = (rule.values ?? []).map((entry) => entry.toLowerCase());
  switch (rule.operator) {
    case 'EQUALS':
      return text === wanted;
    case 'NOT_EQUALS':
      return text !== wanted;
    case 'CONTAINS':
      return text.includes(wanted);
    case 'NOT_CONTAINS':
      return !text.includes(wanted);
    case 'STARTS_WITH':
      return text.startsWith(wanted);
    case 'ENDS_WITH':
      return text.endsWith(wanted);
    case 'IN':
      return list.includes(text);
    case 'NOT_IN':
      return !list.includes(text);
  }
  const left = readNumber(value as string);
  const right = readNumber(rule.value!);
  if (left === null || right === null) return false;
  switch (rule.operator) {
    case 'GREATER_THAN':
      return left > right;
    case 'GREATER_THAN_OR_EQUAL':
      return left >= right;
    case 'LESS_THAN':
      return left < right;
    case 'LESS_THAN_OR_EQUAL':
      return left <= right;
  }
  throw new Error(`unknown operator ${rule.operator}`);
}

/** Trims spaces, tabs and line breaks from both ends. */
function trimAscii(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && ' \t\n\r'.includes(text[start]!)) start++;
  while (end > start && ' \t\n\r'.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** Decimal notation: sign, digits, optional point and digits, optional short exponent. */
function readNumber(raw: string): number | null {
  const text = trimAscii(raw);
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/.exec(text);
  if (!match || (match[2] === '' && !match[3])) return null;
  return Number(text);
}

/** YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH[:MM]|±HHMM]; UTC when no zone; a real calendar day. */
function readInstant(raw: string): Date | null {
  const match = /^(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?(Z|z|([+-])(\d\d)(?::?(\d\d))?)?$/.exec(
    trimAscii(raw),
  );
  if (!match) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day);
  date.setUTCHours(hour, minute, second, Number(`0.${match[7] ?? '0'}`) * 1000);
  const real =
    year! >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60;
  const zoneHours = Number(match[10] ?? 0);
  const zoneMinutes = Number(match[11] ?? 0);
  if (!real || zoneHours > 23 || zoneMinutes > 59) return null;
  const sign = match[9] === '-' ? -1 : 1;
  return new Date(date.getTime() - sign * (zoneHours * 60 + zoneMinutes) * 60_000);
}

/** An ISO instant, or an offset from now by the UTC calendar (a month back from 31 March is the end of February). */
function ruleInstant(value: string, now: Date): Date | null {
  const offset = /^([+-]\d+)([dwmy])$/.exec(value);
  if (!offset) return readInstant(value);
  const amount = Number(offset[1]);
  const date = new Date(now);
  if (offset[2] === 'd' || offset[2] === 'w') {
    date.setUTCDate(date.getUTCDate() + amount * (offset[2] === 'w' ? 7 : 1));
    return date;
  }
  const months = offset[2] === 'm' ? amount : amount * 12;
  const target = date.getUTCMonth() + months;
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(target);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date;
}
