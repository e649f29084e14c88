// SEMANTICS.md, CSV export: the fixed header and sorted property columns, formula-safe cells that
// import back to the same value, segments, the contactsCsv limit, and the round trip.
import { parseString } from 'fast-csv';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';
import { contactsOf, exportCsv, fixture, postCsv } from '../import/helpers.js';

const HEADER = 'id,email,first_name,last_name,unsubscribed,created_at,updated_at';
/** Cells a spreadsheet would run, and cells that only look escaped, as properties ta, tb, … (in sorting order). */
const TRICKY = Object.fromEntries(
  ['=1+1', '+33 1 23', '-5', '@SUM(A1)', "'=quoted", "''", "'", "'plain", 'plain', 'a=b', '=HYPERLINK("x")'].map((value, index) => [
    `t${String.fromCharCode(97 + index)}`,
    value,
  ]),
);

/**
 * The file's header and its rows with ids and times blanked, rows sorted: what must match across
 * accounts (contacts created in one batch share a creation time, and ids order them among
 * themselves, so the row order of two accounts may differ there).
 */
async function withoutIdsAndTimes(csv: string): Promise<{ header: string[]; rows: string[][] }> {
  const rows: string[][] = [];
  await new Promise<void>((resolve, reject) => {
    parseString(csv, { headers: false })
      .on('data', (row: string[]) => rows.push(row))
      .on('end', () => resolve())
      .on('error', reject);
  });
  const [header, ...data] = rows;
  for (const row of data) {
    expect(row[0]).toMatch(/^ct_[a-z0-9]{20}$/);
    expect(row[5]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    row.splice(5, 2);
    row.splice(0, 1);
  }
  return { header: header!, rows: data.sort((a, b) => (a[0]! < b[0]! ? -1 : 1)) };
}

describe.each(DATABASE_KINDS)('exporting on %s', (kind) => {
  const service = useService(kind);

  it('streams text/csv: the fixed columns, then the property keys sorted by name; 401 without a key', async () => {
    const account = await service().account();
    await postCsv(service(), account.apiKey, fixture('basic.csv'));
    await postCsv(service(), account.apiKey, 'email,zeta,Alpha\ndan@example.com,z,a\n');
    const { status, type, text } = await exportCsv(service(), account.apiKey);
    expect(status).toBe(200);
    expect(type).toBe('text/csv; charset=utf-8');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(`${HEADER},Alpha,plan,signed_up,zeta`);
    expect(lines).toHaveLength(5);
    expect(lines.find((line) => line.includes('alice@'))).toMatch(
      /^ct_[a-z0-9]{20},alice@example\.com,Alice,Smith,false,\d{4}-[^,]+Z,[^,]+Z,,pro,2026-01-15,$/,
    );
    expect(lines.at(-1)).toMatch(/^ct_[a-z0-9]{20},dan@example\.com,,,false,[^,]+,[^,]+,a,,,z$/);
    expect((await fetch(`${service().url}/contacts/export`)).status).toBe(401);
    expect((await exportCsv(service(), 'sk_live_wrong')).status).toBe(401);
  });

  it('writes formula cells escaped and quoted cells quoted, and importing the file back changes nothing but updatedAt', async () => {
    const account = await service().account();
    const prisma = service().service.db.prisma;
    await prisma.contact.create({
      data: {
        id: 'ct_formula000000000001',
        accountId: account.accountId,
        email: '-dash@example.com',
        firstName: '=cmd|calc',
        lastName: 'Doe, "Jr"',
        properties: { note: '@SUM(A1)', multi: 'one\ntwo', plain: "'kept", ...TRICKY },
        unsubscribed: true,
        unsubscribedAt: new Date(),
      },
    });
    const { text } = await exportCsv(service(), account.apiKey);
    expect(text.split('\n')[1]).toContain(`,'-dash@example.com,'=cmd|calc,"Doe, ""Jr""",true,`);
    expect(text).toContain(
      `,"one\ntwo",'@SUM(A1),'kept,'=1+1,'+33 1 23,'-5,'@SUM(A1),''=quoted,''',','plain,plain,a=b,"'=HYPERLINK(""x"")"\n`,
    );

    const before = await prisma.contact.findMany({ where: { accountId: account.accountId } });
    const again = await postCsv(service(), account.apiKey, text);
    expect(again.body).toMatchObject({ imported: 0, updated: 1, errors: 0 });
    const after = await prisma.contact.findMany({ where: { accountId: account.accountId } });
    expect(after.map(({ updatedAt: _updatedAt, ...rest }) => rest)).toEqual(before.map(({ updatedAt: _updatedAt, ...rest }) => rest));
  });

  it('round trip: export, import into a new account, export again: identical but for ids and times', async () => {
    const source = await service().account();
    for (const name of ['basic.csv', 'excel-bom-semicolon.csv', 'messy.csv']) await postCsv(service(), source.apiKey, fixture(name));
    await postCsv(service(), source.apiKey, 'email,formula,quote\nzed@example.com,=1+2,"say ""x"", then go"\n');
    const first = await exportCsv(service(), source.apiKey);

    const target = await service().account('target');
    const imported = await postCsv(service(), target.apiKey, first.text);
    expect(imported.body).toMatchObject({ imported: 9, updated: 0, errors: 0 });
    const second = await exportCsv(service(), target.apiKey);
    expect(await withoutIdsAndTimes(second.text)).toEqual(await withoutIdsAndTimes(first.text));
    expect(await contactsOf(service(), target.accountId)).toEqual(await contactsOf(service(), source.accountId));
  });

  it("?segment_id= exports a static segment's members; an unknown segment is 404", async () => {
    const account = await service().account();
    const prisma = service().service.db.prisma;
    const segment = await prisma.segment.create({
      data: { id: 'seg_exportstatic00000001', accountId: account.accountId, name: 'S', type: 'STATIC' },
    });
    await postCsv(service(), account.apiKey, 'email,tier\nin@example.com,1\n', `?segment_id=${segment.id}`);
    await postCsv(service(), account.apiKey, 'email,other\nout@example.com,2\n');
    const { status, text } = await exportCsv(service(), account.apiKey, `?segment_id=${segment.id}`);
    expect(status).toBe(200);
    expect(text.split('\n')[0]).toBe(`${HEADER},tier`);
    expect(text).toContain('in@example.com');
    expect(text).not.toContain('out@example.com');
    expect((await exportCsv(service(), account.apiKey, '?segment_id=seg_00000000000000000000')).status).toBe(404);
  });

  it('contactsCsv gives the same text as the download, and refuses more than 10,000 contacts with LIMIT_EXCEEDED', async () => {
    const account = await service().account();
    await postCsv(service(), account.apiKey, fixture('messy.csv'));
    const download = await exportCsv(service(), account.apiKey);
    expect((await account.gql('{ contactsCsv }')).data).toEqual({ contactsCsv: download.text });
    expect((await account.gql('{ contactsCsv(segmentId: "seg_00000000000000000000") }')).data).toEqual({ contactsCsv: `${HEADER}\n` });

    const rows = ['email'];
    for (let index = 0; index < 10_001; index++) rows.push(`many${index}@example.com`);
    await postCsv(service(), account.apiKey, rows.join('\n'));
    const tooMany = await account.gql('{ contactsCsv }');
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors?.[0]).toMatchObject({
      message: expect.stringContaining('/contacts/export'),
      extensions: { code: 'LIMIT_EXCEEDED' },
    });
    const big = await exportCsv(service(), account.apiKey);
    expect(big.text.match(/@example\.com/g)).toHaveLength(3 + 10_001);
  });

  it('contactsCsv refuses more than 16 MiB of text with LIMIT_EXCEEDED, however few the contacts', async () => {
    const account = await service().account();
    // 100 contacts of 100 properties of 2000 characters: about 20 MB.
    const properties = Object.fromEntries(Array.from({ length: 100 }, (_, key) => [`note${key}`, 'w'.repeat(2000)]));
    await service().service.db.prisma.contact.createMany({
      data: Array.from({ length: 100 }, (_, index) => ({
        id: `ct_wide${String(index).padStart(16, '0')}`,
        accountId: account.accountId,
        email: `wide${index}@example.com`,
        properties,
      })),
    });
    const wide = await account.gql('{ contactsCsv }');
    expect(wide.data).toBeNull();
    expect(wide.errors?.[0]).toMatchObject({ message: expect.stringContaining('16 MiB'), extensions: { code: 'LIMIT_EXCEEDED' } });
    expect((await exportCsv(service(), account.apiKey)).text.length).toBeGreaterThan(16 * 1024 * 1024);
  });
});
