// REST.md, Errors, for POST /contacts/import and GET /contacts/export: every refusal is the one
// `{ "errors": [...] }` shape of the other routes, authenticated by the same router, and changes
// nothing stored (a file refused as a whole leaves only its FAILED job, named by `job_id`).
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';
import { accountSnapshot } from '../support/snapshot.js';
import { slowUpload } from '../support/slow-upload.js';
import { expectNothingChanged, rest, restOf } from './helpers.js';

const LIMIT = 4096;

describe.each(DATABASE_KINDS)('REST import and export errors on %s', (kind) => {
  const service = useService(kind, { maxUploadBytes: LIMIT, imports: { maxConcurrent: 1, leaseMs: 30_000 } });
  let account: TestAccount;
  let call: ReturnType<typeof restOf>;
  let staticId: string;
  let dynamicId: string;
  beforeAll(async () => {
    account = await service().account();
    call = restOf(service(), account);
    await call('POST', '/contacts', { body: { email: 'kept@example.com', first_name: 'Kept' } });
    staticId = (await call('POST', '/segments', { body: { name: 'Static', type: 'static' } })).body.id;
    dynamicId = (
      await call('POST', '/segments', {
        body: { name: 'Dynamic', type: 'dynamic', rules: [{ field: 'email', operator: 'contains', value: 'kept' }] },
      })
    ).body.id;
  });

  /** POST /contacts/import with `csv` in the form's field (`file` unless told). */
  async function importCsv(csv: string, options: { query?: string; key?: string | null; field?: string } = {}) {
    const { query = '', key = account.apiKey, field = 'file' } = options;
    const form = new FormData();
    form.append(field, new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
    const response = await fetch(`${service().url}/contacts/import${query}`, {
      method: 'POST',
      headers: key ? { authorization: `Bearer ${key}` } : {},
      body: form,
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  it('401 UNAUTHENTICATED without a live key, on both routes, in the one shape', async () => {
    const unauthenticated = { errors: [{ code: 'UNAUTHENTICATED', message: expect.stringContaining('API key') }] };
    await expectNothingChanged(service(), account, async () => {
      for (const key of [null, 'sk_live_nope']) {
        const imported = await importCsv('email\nnew@example.com\n', { key });
        expect(imported).toMatchObject({ status: 401, body: unauthenticated });
        expect(imported.headers.get('www-authenticate')).toBe('Bearer');
        expect(await rest(service().url, key, 'GET', '/contacts/export')).toMatchObject({ status: 401, body: unauthenticated });
      }
    });
  });

  it('405 METHOD_NOT_ALLOWED with Allow on a wrong method', async () => {
    await expectNothingChanged(service(), account, async () => {
      const wrong = await call('GET', '/contacts/import');
      expect(wrong).toMatchObject({ status: 405, body: { errors: [{ code: 'METHOD_NOT_ALLOWED' }] } });
      expect(wrong.headers.get('allow')).toBe('POST');
      expect(await call('POST', '/contacts/export')).toMatchObject({ status: 405, body: { errors: [{ code: 'METHOD_NOT_ALLOWED' }] } });
    });
  });

  it('415 for a body that is no form; 400 BAD_REQUEST for a form without boundary, without "file", or an empty segment_id', async () => {
    await expectNothingChanged(service(), account, async () => {
      expect(await call('POST', '/contacts/import', { raw: 'email\nnew@example.com\n', contentType: 'text/csv' })).toMatchObject({
        status: 415,
        body: { errors: [{ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('multipart/form-data') }] },
      });
      expect(await call('POST', '/contacts/import', { raw: 'email\n', contentType: 'multipart/form-data' })).toMatchObject({
        status: 400,
        body: { errors: [{ code: 'BAD_REQUEST', message: expect.stringMatching(/boundary/i) }] },
      });
      expect(await importCsv('email\nnew@example.com\n', { field: 'upload' })).toMatchObject({
        status: 400,
        body: { errors: [{ code: 'BAD_REQUEST', field: ['file'] }] },
      });
      expect(await importCsv('email\nnew@example.com\n', { query: '?segment_id=' })).toMatchObject({
        status: 400,
        body: { errors: [{ code: 'BAD_REQUEST', field: ['query', 'segment_id'] }] },
      });
    });
  });

  it('404 for an unknown segment and 422 NOT_ALLOWED for a dynamic one, at ["query", "segment_id"]', async () => {
    await expectNothingChanged(service(), account, async () => {
      expect(await importCsv('email\nnew@example.com\n', { query: '?segment_id=seg_00000000000000000000' })).toMatchObject({
        status: 404,
        body: { errors: [{ code: 'NOT_FOUND', field: ['query', 'segment_id'] }] },
      });
      expect(await importCsv('email\nnew@example.com\n', { query: `?segment_id=${dynamicId}` })).toMatchObject({
        status: 422,
        body: { errors: [{ code: 'NOT_ALLOWED', field: ['query', 'segment_id'] }] },
      });
    });
  });

  it('422 for a file refused as a whole, with its errors and its FAILED job; nothing else is stored', async () => {
    const before = await accountSnapshot(service().service.db.prisma, account.accountId);
    const refused = await importCsv('name\nAnn\n', { query: `?segment_id=${staticId}` });
    expect(refused).toEqual({
      status: 422,
      headers: expect.anything(),
      body: {
        errors: [{ code: 'INVALID', field: ['file'], message: expect.stringContaining('no email column') }],
        imported: 0,
        updated: 0,
        job_id: expect.stringMatching(/^imp_/),
      },
    });
    const after = await accountSnapshot(service().service.db.prisma, account.accountId);
    expect({ ...after, importJobs: [], account: null }).toEqual({ ...before, importJobs: [], account: null });
    expect(after.account).toEqual(before.account);
    expect(after.importJobs.filter((job) => !before.importJobs.some((old) => old.id === job.id))).toMatchObject([
      { id: refused.body.job_id, status: 'FAILED', imported: 0, updated: 0 },
    ]);
  });

  it('413 PAYLOAD_TOO_LARGE past MAX_UPLOAD_BYTES, with its FAILED job, closing the connection; no contact is stored', async () => {
    const before = await accountSnapshot(service().service.db.prisma, account.accountId);
    const rows = ['email'];
    for (let index = 0; rows.join('\n').length < 3 * LIMIT; index++) rows.push(`big${index}@example.com`);
    const refused = await importCsv(`${rows.join('\n')}\n`);
    expect(refused).toMatchObject({
      status: 413,
      body: {
        errors: [{ code: 'PAYLOAD_TOO_LARGE', field: ['file'], message: expect.stringContaining(`${LIMIT} bytes (MAX_UPLOAD_BYTES)`) }],
        job_id: expect.stringMatching(/^imp_/),
      },
    });
    expect(refused.headers.get('connection')).toBe('close');
    const after = await accountSnapshot(service().service.db.prisma, account.accountId);
    expect(after.contacts).toEqual(before.contacts);
    expect(after.memberships).toEqual(before.memberships);
    expect(after.importJobs.find((job) => job.id === refused.body.job_id)).toMatchObject({ status: 'FAILED' });
  });

  it('429 TOO_MANY_IMPORTS with Retry-After past MAX_CONCURRENT_IMPORTS; nothing stored', async () => {
    const running = slowUpload(service().url, account.apiKey);
    await running.write('email\n');
    const db = service().service.db.prisma;
    while ((await db.importJob.count({ where: { accountId: account.accountId, status: 'PROCESSING' } })) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const busy = await expectNothingChanged(service(), account, () => importCsv('email\nnew@example.com\n'));
    expect(busy).toMatchObject({
      status: 429,
      body: { errors: [{ code: 'TOO_MANY_IMPORTS', message: expect.stringContaining('MAX_CONCURRENT_IMPORTS') }] },
    });
    expect(busy.headers.get('retry-after')).toMatch(/^\d+$/);
    await running.end();
    expect(await running.answer).toMatchObject({ status: 200, body: { imported: 0, errors: 0 } });
  });

  it('export: 400 BAD_REQUEST for an empty segment_id and 404 NOT_FOUND for an unknown segment, in the one shape', async () => {
    await expectNothingChanged(service(), account, async () => {
      expect(await call('GET', '/contacts/export?segment_id=')).toMatchObject({
        status: 400,
        body: { errors: [{ code: 'BAD_REQUEST', field: ['query', 'segment_id'] }] },
      });
      const unknown = await call('GET', '/contacts/export?segment_id=seg_00000000000000000000');
      expect(unknown).toMatchObject({ status: 404, body: { errors: [{ code: 'NOT_FOUND', field: ['query', 'segment_id'] }] } });
      expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await call('GET', `/contacts/export?segment_id=${staticId}`)).status).toBe(200);
    });
  });
});
