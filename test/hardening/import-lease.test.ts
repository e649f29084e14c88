// Issue 11, case 6: with two instances over one PostgreSQL, an import whose instance is killed is
// marked FAILED by the survivor once the job's lease runs out (IMPORT_LEASE_MS), not only when
// some instance restarts.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchDatabase, scratchDatabase } from '../support/databases.js';
import { run, type ServerProcess, startServerProcess } from '../support/process.js';
import { graphql } from '../support/service.js';
import { csvRows } from '../support/slow-upload.js';
import { uploadCsv } from '../support/upload.js';

describe('an import whose instance is killed (two instances, PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let env: Record<string, string>;
  let db: pg.Client;
  let key: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    scratch = await scratchDatabase('postgres');
    env = { DATABASE_URL: (scratch.config as { url: string }).url, HOST: '127.0.0.1', IMPORT_LEASE_MS: '1000' };
    const created = await run('cli', ['accounts', 'create', '--name', 'Lease', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    key = (JSON.parse(created.stdout) as { apiKey: string }).apiKey;
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    servers.push(await startServerProcess(env), await startServerProcess(env));
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    await db?.end();
    await scratch?.drop();
  });

  it('is marked FAILED by the surviving instance, which goes on answering', async () => {
    const [doomed, survivor] = servers as [ServerProcess, ServerProcess];
    const upload = uploadCsv(doomed.url, key, `email,first_name,last_name\n${csvRows(0, 200_000)}`, 'big.csv').catch(
      (error: unknown) => error,
    );
    let job: { id: string; status: string } | undefined;
    while (!job) {
      const { rows } = await db.query<{ id: string; status: string }>('SELECT id, status::text FROM import_jobs WHERE rows_processed > 0');
      job = rows[0];
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(job.status, 'the import finished before the kill: make the file larger').toBe('PROCESSING');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(await upload).toBeInstanceOf(Error);

    let seen: { status: string; failureReason: string | null } = { status: 'PROCESSING', failureReason: null };
    while (seen.status === 'PROCESSING') {
      const read = await graphql(survivor.url, 'query ($id: ID!) { importJob(id: $id) { status failureReason } }', { id: job.id }, key);
      seen = read.data.importJob;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toEqual({ status: 'FAILED', failureReason: expect.stringMatching(/instance running the import stopped/) });
    // The sweep writes import.failed with the FAILED, in its transaction (EVENTS.md).
    const { rows: failedEvents } = await db.query<{ type: string; status: string }>(
      `SELECT type, data->>'status' AS status FROM events WHERE import_job_id = $1 AND type LIKE 'import.%'`,
      [job.id],
    );
    expect(failedEvents).toEqual([{ type: 'import.failed', status: 'failed' }]);
    expect(survivor.child.exitCode).toBeNull();
    expect((await fetch(`${survivor.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
