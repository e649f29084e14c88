// SEMANTICS.md, CSV import, against the fixtures of ../shared/fixtures/csv (their README gives
// the expected results), on both databases, over a real HTTP server.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';
import { contactsOf, fixture, jobOf, postCsv } from './helpers.js';

describe.each(DATABASE_KINDS)('importing the fixture files on %s', (kind) => {
  const service = useService(kind);

  it('basic.csv: three new contacts; an empty cell sets nothing', async () => {
    const account = await service().account();
    const answer = await postCsv(service(), account.apiKey, fixture('basic.csv'));
    expect(answer).toEqual({ status: 200, body: { imported: 3, updated: 0, errors: 0, job_id: expect.stringMatching(/^imp_/) } });
    expect(await contactsOf(service(), account.accountId)).toEqual({
      'alice@example.com': {
        firstName: 'Alice',
        lastName: 'Smith',
        properties: { plan: 'pro', signed_up: '2026-01-15' },
        unsubscribed: false,
      },
      'bob@example.com': {
        firstName: 'Bob',
        lastName: 'Jones',
        properties: { plan: 'enterprise', signed_up: '2026-02-01' },
        unsubscribed: false,
      },
      'carol@example.com': { firstName: 'Carol', lastName: null, properties: { plan: 'free' }, unsubscribed: false },
    });
    const job = await jobOf(account, answer.body.job_id);
    expect(job).toMatchObject({
      status: 'COMPLETED',
      filename: 'contacts.csv',
      rowsProcessed: 3,
      imported: 3,
      updated: 0,
      errors: 0,
      rowErrors: [],
    });
    expect(job.finishedAt).not.toBeNull();
  });

  it('excel-bom-semicolon.csv: BOM, ";" delimiter, CRLF, header aliases, a quoted delimiter', async () => {
    const account = await service().account();
    const answer = await postCsv(service(), account.apiKey, fixture('excel-bom-semicolon.csv'));
    expect(answer.body).toMatchObject({ imported: 2, updated: 0, errors: 0 });
    expect(await contactsOf(service(), account.accountId)).toEqual({
      'dave@example.com': {
        firstName: 'Dave',
        lastName: 'Miller',
        properties: { Company: 'Acme Inc', lifetime_value: '4500' },
        unsubscribed: false,
      },
      'erin@example.com': {
        firstName: 'Erin',
        lastName: "O'Brien",
        properties: { Company: 'Foo; Bar GmbH', lifetime_value: '120' },
        unsubscribed: false,
      },
    });
  });

  it('messy.csv: quoted line breaks count for line numbers, repeated emails count once, bad rows are listed', async () => {
    const account = await service().account();
    const answer = await postCsv(service(), account.apiKey, fixture('messy.csv'));
    expect(answer.body).toMatchObject({ imported: 3, updated: 0, errors: 2 });
    const job = await jobOf(account, answer.body.job_id);
    expect(job).toMatchObject({ status: 'COMPLETED', rowsProcessed: 6, imported: 3, updated: 0, errors: 2 });
    expect(job.rowErrors).toEqual([
      { line: 4, email: 'not-an-email', message: expect.stringContaining('not a valid email') },
      { line: 7, email: null, message: 'email is required' },
    ]);
    expect(await contactsOf(service(), account.accountId)).toEqual({
      'frank@example.com': {
        firstName: 'Franklin',
        lastName: 'Doe, Jr.',
        properties: { notes: 'said "hi"\non two lines' },
        unsubscribed: false,
      },
      'grace@example.com': { firstName: 'Grace', lastName: 'Hopper', properties: {}, unsubscribed: true },
      'heidi@example.com': { firstName: 'Heidi', lastName: null, properties: { notes: 'trailing spaces   ' }, unsubscribed: false },
    });
  });

  it('messy.csv imported again: imported 0, updated 3, errors 2, and nothing changes but updatedAt', async () => {
    const account = await service().account();
    await postCsv(service(), account.apiKey, fixture('messy.csv'));
    const before = await contactsOf(service(), account.accountId);
    const again = await postCsv(service(), account.apiKey, fixture('messy.csv'));
    expect(again.body).toMatchObject({ imported: 0, updated: 3, errors: 2 });
    expect(await contactsOf(service(), account.accountId)).toEqual(before);
  });

  it('an import never resubscribes: "false" and empty cells leave an unsubscribed contact unsubscribed', async () => {
    const account = await service().account();
    await postCsv(service(), account.apiKey, 'email,unsubscribed\nann@example.com,yes\nbo@example.com,1\n');
    const again = await postCsv(
      service(),
      account.apiKey,
      'email,unsubscribed,first_name\nann@example.com,false,Ann\nbo@example.com,,Bo\nann@example.com,0,\n',
    );
    expect(again.body).toMatchObject({ imported: 0, updated: 2, errors: 0 });
    const stored = await service().service.db.prisma.contact.findMany({
      where: { accountId: account.accountId },
      orderBy: { email: 'asc' },
    });
    expect(stored.map((contact) => [contact.email, contact.unsubscribed, contact.unsubscribedAt !== null, contact.firstName])).toEqual([
      ['ann@example.com', true, true, 'Ann'],
      ['bo@example.com', true, true, 'Bo'],
    ]);
  });
});
