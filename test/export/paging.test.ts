// The export is read in pages written by the database (COPY). Page boundaries must not show: a
// file read in pages of two rows is the file read in one page, contacts sharing a creation time
// included, for the whole account and for dynamic segments whose rules carry every kind of
// parameter; and a contact written during an export neither hides nor repeats one that was there.
import { describe, expect, it } from 'vitest';
import { copyStatement } from '../../src/db/copy-out.js';
import type { Database } from '../../src/db/database.js';
import { Prisma } from '../../src/db/generated/prisma/client.js';
import { type ExportScope, writeContactsCsv } from '../../src/core/exports/repository/contacts-csv.js';
import { dynamicSegment, seedContacts } from '../segments/helpers.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';

describe.each(DATABASE_KINDS)('export pages on %s', (kind) => {
  const service = useService(kind);
  const db = () => service().service.db;

  async function csv(
    scope: ExportScope,
    pageRows?: number,
    onChunk?: (index: number) => Promise<void>,
    readAheadBytes?: number,
  ): Promise<string> {
    const chunks: Buffer[] = [];
    await writeContactsCsv(
      db(),
      scope,
      async (chunk) => {
        chunks.push(Buffer.from(chunk));
        await onChunk?.(chunks.length);
      },
      pageRows,
      readAheadBytes,
    );
    return Buffer.concat(chunks).toString();
  }

  async function sevenContacts(accountId: string): Promise<void> {
    const at = new Date('2026-03-01T10:00:00.000Z');
    const later = new Date('2026-03-02T10:00:00.000Z');
    await seedContacts(db().prisma, accountId, [
      // Five share one creation time, as the rows of one import batch do: ids order them.
      ...['a', 'b', 'c', 'd', 'e'].map((name) => ({
        email: `${name}@example.com`,
        properties: { plan: name < 'c' ? 'pro' : 'free', seats: name.charCodeAt(0) },
        createdAt: at,
      })),
      { email: 'f@example.com', firstName: '=f', properties: { plan: 'Pro', note: 'x,"y"' }, createdAt: later },
      { email: 'g@example.com', lastName: "'g", properties: { note: 'line\nbreak' }, createdAt: later },
    ]);
  }

  it('a file read in pages of one, two or three rows is the file read in one page', async () => {
    const account = await service().account();
    await sevenContacts(account.accountId);
    const scope = { accountId: account.accountId, segment: null };
    const whole = await csv(scope);
    expect(whole.split('\n')).toHaveLength(1 + 7 + 1 + 1); // header, rows, the quoted line break, the final newline
    for (const pageRows of [1, 2, 3, 7]) expect(await csv(scope, pageRows)).toBe(whole);
  });

  it('pages wider than what may be read ahead of their turn export the same file, sent to a slow client', async () => {
    const account = await service().account();
    await sevenContacts(account.accountId);
    const scope = { accountId: account.accountId, segment: null };
    const whole = await csv(scope);
    const slowClient = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
    for (const pageRows of [1, 3]) expect(await csv(scope, pageRows, slowClient, 1)).toBe(whole);
  });

  it('clients that go away mid-export, more of them than the pool has connections, leave no connection behind', async () => {
    const account = await service().account();
    await sevenContacts(account.accountId);
    const scope = { accountId: account.accountId, segment: null };
    const gone = new Error('the client went away');
    for (let client = 0; client < 12; client++) {
      const goesAway = async (chunk: number) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (chunk === 3) throw gone;
      };
      await expect(csv(scope, 1, goesAway, 1)).rejects.toBe(gone);
    }
    expect((await csv(scope)).split('\n')).toHaveLength(10);
  });

  it('a dynamic segment with text, list, number and relative-time rules pages the same', async () => {
    const account = await service().account();
    await sevenContacts(account.accountId);
    const segment = await dynamicSegment(account, [
      { field: 'properties.plan', operator: 'IN', values: ['pro', 'free', 'a "quoted", \\ value'] },
      { field: 'properties.seats', operator: 'GREATER_THAN', value: '97' },
      { field: 'created_at', operator: 'AFTER', value: '-20y' },
      { field: 'email', operator: 'CONTAINS', value: '@' },
    ]);
    const stored = await db().prisma.segment.findUniqueOrThrow({ where: { id: segment.id } });
    const scope = { accountId: account.accountId, segment: stored };
    const whole = await csv(scope);
    expect(
      whole
        .split('\n')
        .slice(1, -1)
        .map((line) => line.split(',')[1])
        .sort(),
    ).toEqual(['b@example.com', 'c@example.com', 'd@example.com', 'e@example.com']);
    expect(await csv(scope, 2)).toBe(whole);
  });

  it('a contact written during the export neither hides nor repeats one that was there', async () => {
    const account = await service().account();
    await sevenContacts(account.accountId);
    const scope = { accountId: account.accountId, segment: null };
    const before = await csv(scope);
    let written = 0;
    const during = await csv(scope, 2, async (chunk) => {
      // After the header and the first page: one contact behind the export, one ahead of it.
      if (chunk !== 2) return;
      await seedContacts(db().prisma, account.accountId, [
        { email: 'behind@example.com', createdAt: new Date('2026-01-01T00:00:00.000Z') },
        { email: 'ahead@example.com', createdAt: new Date('2026-12-01T00:00:00.000Z') },
      ]);
      written++;
    });
    expect(written).toBe(1);
    const lines = during.split('\n');
    for (const line of before.split('\n').filter((line) => line.startsWith('ct_')))
      expect(lines.filter((other) => other === line)).toHaveLength(1);
    expect(during).not.toContain('behind@example.com');
  });

  it('a page that fails while an earlier one is still being sent fails that export, and only that export', async () => {
    const account = await service().account();
    await sevenContacts(account.accountId);
    let pages = 0;
    // The real database, with the third page's read failing (as a connection timeout would).
    const third = new Error('the third page could not be read');
    const flaky: Database = {
      ...db(),
      transaction: (fn) => (++pages === 3 ? Promise.reject(third) : db().transaction(fn)),
    };
    const slowClient = () => new Promise<void>((resolve) => setTimeout(resolve, 20));
    await expect(writeContactsCsv(flaky, { accountId: account.accountId, segment: null }, slowClient, 1)).rejects.toBe(third);
    // The process and the database are fine: the next export is whole.
    expect((await csv({ accountId: account.accountId, segment: null })).split('\n')).toHaveLength(10);
  });

  it('COPY reads back every parameter exactly: quotes, backslashes, braces, the word NULL, numbers, times', async () => {
    const texts = ['a "quoted", \\ value', '{braces}', 'NULL', '', "it's", 'ünï ✓'];
    const { settings, select } = copyStatement(Prisma.sql`
      SELECT encode(convert_to(t.x, 'UTF8'), 'hex'), ${42}::int + 1, to_char(${new Date('2026-03-01T10:00:00.123Z')}::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS')
      FROM unnest(${texts}::text[]) WITH ORDINALITY AS t(x, n) ORDER BY t.n`);
    const chunks: Buffer[] = [];
    await db().transaction(async (session) => {
      await session.query(settings.text, settings.values);
      await session.copyCsv(select, (chunk) => void chunks.push(chunk));
    });
    const csv = Buffer.concat(chunks);
    const hex = (text: string) => Buffer.from(text).toString('hex') || '""'; // COPY quotes an empty string, not a NULL
    expect(csv.toString().trimEnd().split('\n')).toEqual(texts.map((text) => `${hex(text)},43,2026-03-01T10:00:00.123`));
  });
});

describe('COPY statements', () => {
  it('refuse a parameter without an explicit cast, whose type would come from where it stands', () => {
    expect(() => copyStatement(Prisma.sql`SELECT 1 WHERE ${'x'} = 'x'`)).toThrow(/explicit cast/);
  });
});
