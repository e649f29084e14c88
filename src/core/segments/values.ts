// What a rule value (and a contact's value) "reads as" (SEMANTICS.md, Segments). The SQL functions
// segment_number and segment_instant (migration 20261126133000_segment_rules) hold the same
// grammar for contact values; these check rule values when a segment is saved.

/** ASCII whitespace, the only kind trimmed before reading a number or an instant. */
const TRIM = /^[ \t\n\r]+|[ \t\n\r]+$/g;

const NUMBER = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$/;

const INSTANT =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)?(?:[Zz]|([+-])([0-9]{2})(?::?([0-9]{2}))?)?$/;

/** A signed offset from now: -30d, -4w, -6m, -1y (or + for the future), at most 4 digits. */
const OFFSET = /^([+-])([0-9]{1,4})([dwmy])$/;

export type OffsetUnit = 'd' | 'w' | 'm' | 'y';

export interface Offset {
  amount: number;
  unit: OffsetUnit;
}

export function readsAsNumber(text: string): boolean {
  return NUMBER.test(text.replace(TRIM, ''));
}

/** True when text is an ISO date or date-time that names a real calendar day and time. */
export function readsAsInstant(text: string): boolean {
  const parts = INSTANT.exec(text.replace(TRIM, ''));
  if (!parts) return false;
  const [year, month, day, hour, minute, second, , , zoneHour, zoneMinute] = parts.slice(1).map((part) => Number(part ?? 0));
  return (
    year! >= 1 &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth(year!, month!) &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    zoneHour! <= 23 &&
    zoneMinute! <= 59
  );
}

export function parseOffset(text: string): Offset | null {
  const parts = OFFSET.exec(text);
  if (!parts) return null;
  const amount = Number(parts[2]) * (parts[1] === '-' ? -1 : 1);
  return { amount, unit: parts[3] as OffsetUnit };
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}
