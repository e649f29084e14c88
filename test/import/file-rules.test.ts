// Files that are not the happy path: each is refused as a whole or has its bad rows listed, and
// after it nothing stored is lost or changed.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';
import { contactsOf, jobOf, postCsv } from './helpers.js';

const SEED = 'email,first_name,plan\nkeep@example.com,Keep,gold\n';

describe.each(DATABASE_KINDS)('CSV file rules on %s', (kind) => {
  const service = useService(kind);

  async function seeded(): Promise<{ account: TestAccount; before: Awaited<ReturnType<typeof contactsOf>> }> {
    const account = await service().account();
    expect((await postCsv(service(), account.apiKey, SEED)).body.imported).toBe(1);
    return { account, before: await contactsOf(service(), account.accountId) };
  }

  async function refused(file: string | Buffer, message: RegExp) {
    const { account, before } = await seeded();
    const answer = await postCsv(service(), account.apiKey, file);
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      errors: [{ code: 'INVALID', field: ['file'], message: expect.stringMatching(message) }],
      imported: 0,
      updated: 0,
      job_id: expect.stringMatching(/^imp_/),
    });
    const job = await jobOf(account, answer.body.job_id);
    expect(job).toMatchObject({ status: 'FAILED', errors: 0, failureReason: expect.stringMatching(message) });
    expect(await contactsOf(service(), account.accountId)).toEqual(before);
  }

  it('a file with only a header imports nothing and completes', async () => {
    const { account, before } = await seeded();
    const answer = await postCsv(service(), account.apiKey, 'email,first_name\r\n');
    expect(answer).toMatchObject({ status: 200, body: { imported: 0, updated: 0, errors: 0 } });
    expect((await jobOf(account, answer.body.job_id)).status).toBe('COMPLETED');
    expect(await contactsOf(service(), account.accountId)).toEqual(before);
  });

  it('refuses an empty file', () => refused('', /empty/));
  it('refuses a file without an email column, importing nothing', () => refused('name,plan\nAnn,pro\n', /no email column/));
  it('refuses a binary file', () => refused(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0x10]), /not text/));
  it('refuses a UTF-16 file', () => refused(Buffer.from('\ufeffemail\nann@example.com\n', 'utf16le'), /UTF-16/));
  it('refuses duplicate header names, also when two aliases name the same field', async () => {
    await refused('email,plan,plan\nann@example.com,a,b\n', /same field/);
    await refused('Email,E-mail\nann@example.com,bo@example.com\n', /same field/);
  });
  it('refuses a header that cannot become a property name', () => refused('email,€\nann@example.com,1\n', /cannot be a property name/));

  it('rejects rows with invalid UTF-8, and imports the others', async () => {
    const { account } = await seeded();
    const file = Buffer.concat([
      Buffer.from('email,city\nann@example.com,M'),
      Buffer.from([0xfc]),
      Buffer.from('nchen\nbo@example.com,Köln\n'),
    ]);
    const answer = await postCsv(service(), account.apiKey, file);
    expect(answer.body).toMatchObject({ imported: 1, errors: 1 });
    expect((await jobOf(account, answer.body.job_id)).rowErrors).toEqual([
      { line: 2, email: 'ann@example.com', message: expect.stringContaining('UTF-8') },
    ]);
    expect((await contactsOf(service(), account.accountId))['bo@example.com']?.properties).toEqual({ city: 'Köln' });
  });

  it('ragged rows: missing cells are empty, extra non-empty cells reject the row', async () => {
    const { account } = await seeded();
    const answer = await postCsv(
      service(),
      account.apiKey,
      'email,first_name,plan\nkeep@example.com\nann@example.com,Ann,pro,surprise\nbo@example.com,Bo,free,,\n',
    );
    expect(answer.body).toMatchObject({ imported: 1, updated: 1, errors: 1 });
    const job = await jobOf(account, answer.body.job_id);
    expect(job.rowErrors).toEqual([{ line: 3, email: 'ann@example.com', message: 'the row has 4 cells but the header has 3 columns' }]);
    const contacts = await contactsOf(service(), account.accountId);
    expect(contacts['keep@example.com']).toMatchObject({ firstName: 'Keep', properties: { plan: 'gold' } });
    expect(contacts['bo@example.com']).toMatchObject({ firstName: 'Bo', properties: { plan: 'free' } });
  });

  it('a 20,000-character cell rejects its row as too long, and the next rows import', async () => {
    const { account } = await seeded();
    const long = 'x'.repeat(20_000);
    const answer = await postCsv(
      service(),
      account.apiKey,
      `email,notes,first_name,unsubscribed\nann@example.com,"${long}",Ann,\nbo@example.com,short,${long},\ncy@example.com,ok,Cy,\ndi@example.com,ok,Di,${long}\n`,
    );
    expect(answer.body).toMatchObject({ imported: 1, errors: 3 });
    const job = await jobOf(account, answer.body.job_id);
    expect(job.rowErrors.map((error: { line: number; message: string }) => [error.line, error.message])).toEqual([
      [2, expect.stringContaining('at most 2000 characters')],
      [3, expect.stringContaining('at most 200 characters')],
      [5, `unsubscribed must be true/false, 1/0 or yes/no (got "${'x'.repeat(77)}...")`], // a row error never quotes a whole cell
    ]);
  });

  it('a tab-separated file with LF line ends and quoted line breaks numbers its rows by the line they start on', async () => {
    const { account } = await seeded();
    const answer = await postCsv(
      service(),
      account.apiKey,
      'email\tnotes\n"a@example.com"\t"one\ntwo\r\nthree"\nnope\tx\n\nb@example.com\t"tab\there"\n',
    );
    expect(answer.body).toMatchObject({ imported: 2, errors: 1 });
    expect((await jobOf(account, answer.body.job_id)).rowErrors).toEqual([{ line: 5, email: 'nope', message: expect.any(String) }]);
    const contacts = await contactsOf(service(), account.accountId);
    expect(contacts['a@example.com']?.properties).toEqual({ notes: 'one\ntwo\r\nthree' });
    expect(contacts['b@example.com']?.properties).toEqual({ notes: 'tab\there' });
  });

  it('header names: trimmed, any case, spaces, "-" and "_" alike; id and times ignored; other names become snake_case keys', async () => {
    const { account } = await seeded();
    const answer = await postCsv(
      service(),
      account.apiKey,
      ' E_MAIL ,FIRST-NAME,last name,Unsubscribed,id,Created At,Lifetime Value,plan_Type\nann@example.com,Ann,Lee,no,ct_x,yesterday,12,b2b\n',
    );
    expect(answer.body).toMatchObject({ imported: 1, errors: 0 });
    expect((await contactsOf(service(), account.accountId))['ann@example.com']).toEqual({
      firstName: 'Ann',
      lastName: 'Lee',
      unsubscribed: false,
      properties: { lifetime_value: '12', plan_Type: 'b2b' },
    });
  });

  it('a malformed quote fails the job, and nothing of its batch is written', async () => {
    const { account, before } = await seeded();
    const answer = await postCsv(service(), account.apiKey, 'email,notes\nann@example.com,"fine"\nbo@example.com,"broken"x\n');
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      errors: [{ code: 'INVALID', field: ['file'], message: expect.stringContaining('not valid CSV') }],
    });
    expect(await contactsOf(service(), account.accountId)).toEqual(before);
  });
});
