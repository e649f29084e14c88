// Reading an imported file: the header's columns, each row as a contact upsert, and the CSV reader
// itself (byte-order mark, delimiter, quoted line breaks, line numbers). Pure, no database.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { unescapeCell } from '../../src/core/imports/csv/cells.js';
import { sniffDelimiter } from '../../src/core/imports/csv/delimiter.js';
import { type Column, readHeader } from '../../src/core/imports/csv/header.js';
import { CsvFileError, type CsvRow, readCsv } from '../../src/core/imports/csv/reader.js';
import { readRow } from '../../src/core/imports/csv/row.js';

async function rows(bytes: string | Buffer, chunk = 7): Promise<CsvRow[]> {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  const chunks = Array.from({ length: Math.ceil(buffer.length / chunk) }, (_, i) => buffer.subarray(i * chunk, (i + 1) * chunk));
  const read: CsvRow[] = [];
  for await (const row of readCsv(Readable.from(chunks))) read.push(row);
  return read;
}

function columns(header: string[]): Column[] {
  const read = readHeader(header);
  if (!read.ok) throw new Error(read.message);
  return read.columns;
}

describe('the header', () => {
  it('reads field names and their aliases alike, and every other column as a property', () => {
    expect(columns(['E-mail', 'First Name', 'lastname', 'Unsubscribed', 'Lifetime Value', 'Company', 'id', 'created_at'])).toEqual([
      { kind: 'email' },
      { kind: 'firstName' },
      { kind: 'lastName' },
      { kind: 'unsubscribed' },
      { kind: 'property', key: 'lifetime_value' },
      { kind: 'property', key: 'Company' },
      { kind: 'ignored' },
      { kind: 'ignored' },
    ]);
  });

  it('refuses a file without an email column, two columns for one field, and a column that cannot be a key', () => {
    expect(readHeader(['name', 'plan'])).toEqual({ ok: false, message: expect.stringContaining('no email column') });
    expect(readHeader(['email', 'Email Address'])).toEqual({
      ok: false,
      message: 'columns "email" and "Email Address" name the same field; keep one of them',
    });
    expect(readHeader(['email', '!!!'])).toEqual({ ok: false, message: expect.stringContaining('cannot be a property name') });
  });
});

describe('a data row', () => {
  const header = columns(['email', 'first_name', 'last_name', 'unsubscribed', 'plan']);

  it('becomes an upsert in which an empty cell changes nothing and false never resubscribes', () => {
    expect(readRow([' Ann@Example.com ', 'Ann', '', 'false', 'pro'], header)).toEqual({
      ok: true,
      item: { email: 'ann@example.com', firstName: 'Ann', properties: { plan: 'pro' } },
    });
    expect(readRow(['bob@example.com', '', '', 'yes', ''], header)).toEqual({
      ok: true,
      item: { email: 'bob@example.com', unsubscribed: true },
    });
    expect(readRow(['cy@example.com'], header)).toEqual({ ok: true, item: { email: 'cy@example.com' } });
  });

  it("undoes the export's formula escape", () => {
    expect(readRow(['d@example.com', "'=SUM(A1)", '', '', "''x"], header)).toEqual({
      ok: true,
      item: { email: 'd@example.com', firstName: '=SUM(A1)', properties: { plan: "'x" } },
    });
    expect(unescapeCell("'note")).toBe("'note");
    expect(unescapeCell("'+1")).toBe('+1');
  });

  it('is rejected with a message for a bad email, flag, name, property or cell count', () => {
    expect(readRow(['not-an-email'], header)).toEqual({
      ok: false,
      email: 'not-an-email',
      message: '"not-an-email" is not a valid email address',
    });
    expect(readRow([''], header)).toEqual({ ok: false, email: null, message: 'email is required' });
    expect(readRow(['e@example.com', '', '', 'maybe'], header)).toMatchObject({
      ok: false,
      message: expect.stringContaining('unsubscribed must be true/false'),
    });
    expect(readRow(['e@example.com', 'x'.repeat(201)], header)).toMatchObject({
      ok: false,
      message: 'firstName must be at most 200 characters',
    });
    expect(readRow(['e@example.com', '', '', '', 'x'.repeat(2001)], header)).toMatchObject({
      ok: false,
      message: 'plan: property values must be at most 2000 characters',
    });
    expect(readRow(['e@example.com', '', '', '', '', 'extra'], header)).toMatchObject({
      ok: false,
      message: 'the row has 6 cells but the header has 5 columns',
    });
  });
});

describe('the CSV reader', () => {
  it('numbers rows by the line they start on, quoted line breaks and blank lines counted', async () => {
    const read = await rows(readFileSync(new URL('../fixtures/csv/messy.csv', import.meta.url)));
    expect(read.map((row) => row.line)).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect(read[1]!.cells[3]).toBe('said "hi"\non two lines');
  });

  it('drops a byte-order mark and takes the delimiter the header uses', async () => {
    const read = await rows(readFileSync(new URL('../fixtures/csv/excel-bom-semicolon.csv', import.meta.url)));
    expect(read[0]!.cells[0]).toBe('E-mail');
    expect(read.some((row) => row.cells.includes('Foo; Bar GmbH'))).toBe(true);
    expect(sniffDelimiter('"a,b";c;d')).toBe(';');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('email')).toBe(',');
  });

  it('refuses an empty file, UTF-16 text and binary data as a whole', async () => {
    await expect(rows('')).rejects.toThrow(CsvFileError);
    await expect(rows(Buffer.from([0xff, 0xfe, 0x65, 0x00]))).rejects.toThrow('UTF-16');
    await expect(rows(Buffer.from([0x65, 0x00, 0x6d]))).rejects.toThrow('NUL bytes');
  });
});
