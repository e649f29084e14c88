import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz, pgTypes } from '../../src/db/timestamps.js';

const pgParser = pg.types.getTypeParser(1184, 'text') as (text: string) => unknown;

/** The text PostgreSQL writes for an instant in a UTC session, with `fraction` digits of microseconds (trailing zeros dropped, as it does). */
function postgresText(time: number, micros: number): string {
  const iso = new Date(time).toISOString();
  const fraction = String(micros).padStart(6, '0').replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''}+00`;
}

describe('timestamptz read from PostgreSQL text', () => {
  it('is the instant pg reads, to the millisecond, for every layout a UTC session writes', () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const texts: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const time = Date.UTC(1000, 0, 1) + Math.floor(random() * (Date.UTC(9999, 11, 31) - Date.UTC(1000, 0, 1)));
      texts.push(postgresText(Math.floor(time / 1000) * 1000, Math.floor(random() * 1_000_000)));
    }
    texts.push('2026-12-07 00:39:22+00', '2026-12-07 00:39:22.5+00', '2026-12-07 00:39:22.000001+00', '2024-02-29 23:59:59.999999+00');
    for (const text of texts) expect(parseTimestamptz(text), text).toEqual(pgParser(text));
  });

  it('leaves every other text to pg: other zones, BC, years past 9999 or before 1000, infinity', () => {
    const others = [
      '2026-12-07 01:39:22.123+01',
      '2026-12-07 00:39:22.123+05:30',
      '0044-03-15 12:00:00+00 BC',
      '12026-12-07 00:39:22+00',
      '0999-12-31 23:59:59+00',
      '0099-01-01 00:00:00+00',
      'infinity',
      '-infinity',
    ];
    for (const text of others) expect(parseTimestamptz(text), text).toEqual(pgParser(text));
  });

  it('is the parser of timestamptz only; every other type reads as pg reads it', () => {
    expect(pgTypes.getTypeParser(1184, 'text')).toBe(parseTimestamptz);
    for (const oid of [16, 20, 25, 114, 1082, 1114, 3802])
      expect(pgTypes.getTypeParser(oid, 'text')).toBe(pg.types.getTypeParser(oid, 'text'));
  });
});
