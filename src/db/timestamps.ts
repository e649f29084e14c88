// timestamptz values read from PostgreSQL's text without a regular expression each: pg's own
// parser (postgres-date) runs three per value and made a tenth of the garbage of a page request
// (40 timestamps a page), measured with an allocation profile under bench:peer's Q2.
import pg from 'pg';

const TIMESTAMPTZ_OID = 1184;
const defaultParser = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date | number | null;

/**
 * The text of a timestamptz in a UTC session (`2026-12-07 00:39:22.123456+00`, any fraction or
 * none) read by hand, to the millisecond as pg's parser reads it (the rest of the fraction is
 * dropped); anything else (another zone, years past 9999 or before 1000, BC, infinity) by pg's parser.
 */
export function parseTimestamptz(text: string): Date | number | null {
  const zone = text.length - 3;
  if (zone >= 19 && isUtcLayout(text, zone)) {
    let ms = 0;
    for (let at = 20, scale = 100; at < zone && scale >= 1; at++, scale /= 10) ms += digit(text, at) * scale;
    const year = digits(text, 0, 4);
    const time = Date.UTC(
      year,
      digits(text, 5, 2) - 1,
      digits(text, 8, 2),
      digits(text, 11, 2),
      digits(text, 14, 2),
      digits(text, 17, 2),
      ms,
    );
    if (year >= 1000 && !Number.isNaN(time)) return new Date(time);
  }
  return defaultParser(text);
}

/** `YYYY-MM-DD HH:MM:SS` then, where there is a fraction, a dot, and the zone `+00`. */
function isUtcLayout(text: string, zone: number): boolean {
  return (
    text.charCodeAt(4) === 45 /* - */ &&
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 32 /* space */ &&
    text.charCodeAt(13) === 58 /* : */ &&
    text.charCodeAt(16) === 58 &&
    (zone === 19 || text.charCodeAt(19) === 46) /* . */ &&
    text.charCodeAt(zone) === 43 /* + */ &&
    text.charCodeAt(zone + 1) === 48 &&
    text.charCodeAt(zone + 2) === 48
  );
}

/** The decimal number of text[from, from + length), NaN where a character is not a digit. */
function digits(text: string, from: number, length: number): number {
  let value = 0;
  for (let at = from; at < from + length; at++) value = value * 10 + digit(text, at);
  return value;
}

function digit(text: string, at: number): number {
  const value = text.charCodeAt(at) - 48;
  return value >= 0 && value <= 9 ? value : NaN;
}

/** The pg `types` option that reads timestamptz with parseTimestamptz and every other type as pg does. */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    return oid === TIMESTAMPTZ_OID && format !== 'binary' ? parseTimestamptz : (pg.types.getTypeParser(oid, format) as unknown);
  },
};
