// REST.md, Contacts: GET /contacts/imports/:job_id answers the job an import started, as GraphQL's
// importJob(id) reads it; another account's job, an unknown id and an id of another type are the
// same 404.
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';
import { jobOf, postCsv } from '../import/helpers.js';
import { expectNothingChanged, ISO, rest, restOf } from './helpers.js';

const CSV = 'email,first_name\nalice@example.com,Alice\nnot-an-email,Bob\nbob@example.com,Bob\n';

const headersOf = (headers: Headers) => Object.fromEntries([...headers].filter(([name]) => name !== 'date' && name !== 'content-length'));

describe.each(DATABASE_KINDS)('REST import jobs on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  let call: ReturnType<typeof restOf>;
  beforeAll(async () => {
    account = await service().account();
    call = restOf(service(), account);
  });

  it("answers the job of an import in REST.md's shape, agreeing with GraphQL", async () => {
    const imported = await postCsv(service(), account.apiKey, CSV);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ imported: 2, updated: 0, errors: 1 });
    const jobId = imported.body.job_id;

    const answer = await call('GET', `/contacts/imports/${jobId}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({
      id: jobId,
      status: 'completed',
      filename: 'contacts.csv',
      imported: 2,
      updated: 0,
      errors: 1,
      rows_processed: 3,
      row_errors: [{ line: 3, email: 'not-an-email', message: expect.any(String) }],
      failure_reason: null,
      created_at: expect.stringMatching(ISO),
      finished_at: expect.stringMatching(ISO),
    });

    const job = await jobOf(account, jobId);
    expect(answer.body).toEqual({
      id: job.id,
      status: job.status.toLowerCase(),
      filename: job.filename,
      imported: job.imported,
      updated: job.updated,
      errors: job.errors,
      rows_processed: job.rowsProcessed,
      row_errors: job.rowErrors,
      failure_reason: job.failureReason,
      created_at: job.createdAt,
      finished_at: job.finishedAt,
    });
  });

  it("answers another account's job, an unknown id and an id of another type exactly alike", async () => {
    const stranger = await service().account('Stranger');
    const theirs = await postCsv(service(), stranger.apiKey, CSV);
    const foreign = theirs.body.job_id;
    const a = await expectNothingChanged(service(), stranger, () => call('GET', `/contacts/imports/${foreign}`));
    expect(a.status).toBe(404);
    expect(a.body).toEqual({ errors: [{ code: 'NOT_FOUND', message: `there is no import job ${foreign} in this account` }] });
    for (const unknown of ['imp_zzzzzzzzzzzzzzzzzzzz', 'ct_zzzzzzzzzzzzzzzzzzzz', 'nothing']) {
      const b = await call('GET', `/contacts/imports/${unknown}`);
      expect(a.text.replace(foreign, 'X')).toBe(b.text.replace(unknown, 'X'));
      expect(headersOf(a.headers)).toEqual(headersOf(b.headers));
    }
    // The owner still reads it.
    expect((await restOf(service(), stranger)('GET', `/contacts/imports/${foreign}`)).status).toBe(200);
  });

  it('asks for a key and allows only GET', async () => {
    const unauthenticated = await rest(service().url, null, 'GET', '/contacts/imports/imp_zzzzzzzzzzzzzzzzzzzz');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toBe('Bearer');
    const wrongMethod = await call('DELETE', '/contacts/imports/imp_zzzzzzzzzzzzzzzzzzzz');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(wrongMethod.body.errors[0].code).toBe('METHOD_NOT_ALLOWED');
  });
});
