// Issue 11, cases 6–8: imports meet the faults around them. A SIGTERM whose drain cuts an upload
// marks its job FAILED, saying the service stopped, before the pool closes; imports past
// MAX_CONCURRENT_IMPORTS get a clear 429 with Retry-After while interactive requests go on; and
// a key revoked during its import stops it at the next batch, nothing committed after.
import { afterEach, describe, expect, it } from 'vitest';
import { startService } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { createAccount, hashKey, revokeKey } from '../../src/core/accounts/service.js';
import { DATABASE_KINDS, scratchDatabase, type ScratchDatabase } from '../support/databases.js';
import { graphql, testConfig } from '../support/service.js';
import { csvRows, slowUpload } from '../support/slow-upload.js';
import type { Service } from '../../src/app.js';
import type { Config } from '../../src/config.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DATABASE_KINDS)('imports meeting faults (%s)', (kind) => {
  let scratch: ScratchDatabase | undefined;
  let service: Service | undefined;

  async function start(overrides: Partial<Config> = {}) {
    scratch = await scratchDatabase(kind);
    const config = testConfig(scratch.config, overrides);
    service = await startService(config);
    const { apiKey, accountId } = await createAccount(service.db, 'Faults');
    return { config, service, apiKey, accountId };
  }
  afterEach(async () => {
    await service?.stop().catch(() => {});
    service = undefined;
    await scratch?.drop();
  });

  async function untilJob(service: Service, test: (job: { id: string; status: string; rowsProcessed: number }) => boolean) {
    for (;;) {
      const [job] = await service.db.prisma.importJob.findMany();
      if (job && test(job)) return job;
      await pause(20);
    }
  }

  it('6. SIGTERM whose drain cuts an upload marks the job FAILED, saying the service stopped', async () => {
    const { config, service: running, apiKey } = await start({ drainMs: 200 });
    const upload = slowUpload(running.url, apiKey);
    await upload.write(`email,first_name,last_name\n${csvRows(0, 10)}`);
    const job = await untilJob(running, () => true);
    await running.stop();
    service = undefined;
    expect(await upload.answer).toBeInstanceOf(Error);

    const db = await openDatabase(config.database);
    try {
      const stored = await db.prisma.importJob.findUniqueOrThrow({ where: { id: job.id } });
      expect(stored.status).toBe('FAILED');
      expect(stored.failureReason).toMatch(/the service stopped before the import finished/);
      expect(stored.finishedAt).not.toBeNull();
    } finally {
      await db.close();
    }
  }, 120_000);

  it('7. answers an import past MAX_CONCURRENT_IMPORTS 429 with Retry-After, on both ways in, while queries go on', async () => {
    const { service: running, apiKey } = await start({ imports: { maxConcurrent: 1, leaseMs: 30_000 } });
    const first = slowUpload(running.url, apiKey);
    await first.write(`email,first_name,last_name\n${csvRows(0, 10)}`);
    await untilJob(running, () => true);

    const form = new FormData();
    form.append('file', new Blob(['email\nsecond@example.com\n']), 'second.csv');
    const rest = await fetch(`${running.url}/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: form,
    });
    expect(rest.status).toBe(429);
    expect(rest.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await rest.json()).toEqual({ errors: [{ code: 'TOO_MANY_IMPORTS', message: expect.stringMatching(/MAX_CONCURRENT_IMPORTS/) }] });

    const upload = new FormData();
    upload.append(
      'operations',
      JSON.stringify({ query: 'mutation ($f: Upload!) { importContacts(input: { file: $f }) { job { id } } }', variables: { f: null } }),
    );
    upload.append('map', JSON.stringify({ 0: ['variables.f'] }));
    upload.append('0', new Blob(['email\nsecond@example.com\n']), 'second.csv');
    const viaGraphql = await fetch(`${running.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: upload,
    });
    expect(viaGraphql.status).toBe(429);
    expect(viaGraphql.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await viaGraphql.json()).errors).toMatchObject([{ extensions: { code: 'TOO_MANY_IMPORTS' } }]);

    expect(await graphql(running.url, '{ contacts(first: 1) { totalCount } }', {}, apiKey)).toMatchObject({ status: 200 });
    await first.end();
    expect(await first.answer).toMatchObject({ status: 200, body: { imported: 10 } });
    // The slot is free again.
    const again = await fetch(`${running.url}/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: form,
    });
    expect(again.status).toBe(200);
    expect(await running.db.prisma.contact.count()).toBe(11);
  }, 120_000);

  it('8. a key revoked during its import stops it at the next batch: FAILED, saying why, nothing committed after', async () => {
    const { service: running, apiKey } = await start();
    const upload = slowUpload(running.url, apiKey);
    // One batch is 5,000 rows: the first commits once the 5,001st row is read.
    await upload.write(`email,first_name,last_name\n${csvRows(0, 5001)}`);
    await untilJob(running, (job) => job.rowsProcessed > 0);
    const key = await running.db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashKey(apiKey) } });
    expect(await revokeKey(running.db, key.id)).toEqual({ revoked: key.id });
    const committed = await running.db.prisma.contact.count();
    await upload.write(csvRows(5001, 12_000));
    await upload.end();

    const answer = await upload.answer;
    expect(answer).toMatchObject({
      status: 422,
      body: { errors: [{ code: 'NOT_ALLOWED', field: ['file'], message: expect.stringMatching(/revoked/) }], job_id: expect.any(String) },
    });
    const [job] = await running.db.prisma.importJob.findMany();
    expect(job).toMatchObject({ status: 'FAILED', failureReason: expect.stringMatching(/API key that started the import was revoked/) });
    expect(await running.db.prisma.contact.count()).toBe(committed);
  }, 120_000);
});
