// SIGKILL in the middle of a large import (issue 6, Faults): after a restart the job is FAILED with
// a reason, the batches committed before the kill are there whole, nothing is half-written, and
// the same file imported again completes with imported + updated = rows.
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchDatabase, scratchDatabase } from '../support/databases.js';
import { run, type ServerProcess, startServerProcess } from '../support/process.js';
import { graphql } from '../support/service.js';
import { uploadCsv } from '../support/upload.js';

const ROWS = 200_000;

/** Row i of the file, and what a contact made from it holds. */
const person = (i: number) => ({
  email: `person${i}@example.com`,
  firstName: `First${i}`,
  lastName: `Last ${i}`,
  properties: { plan: `plan${i % 7}`, note: `note, "${i}"` },
});
const line = (i: number) => {
  const p = person(i);
  return `${p.email},${p.firstName},${p.lastName},${p.properties.plan},"${p.properties.note.replaceAll('"', '""')}"`;
};
const FILE = `email,first_name,last_name,plan,note\n${Array.from({ length: ROWS }, (_, i) => line(i)).join('\n')}\n`;

describe('a server killed in the middle of an import (PostgreSQL)', () => {
  let scratch: ScratchDatabase;
  let env: Record<string, string>;
  let db: pg.Client;
  let key: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    scratch = await scratchDatabase('postgres');
    env = { DATABASE_URL: (scratch.config as { url: string }).url, PORT: '0', HOST: '127.0.0.1' };
    const created = await run('cli', ['accounts', 'create', '--name', 'Crash', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    key = (JSON.parse(created.stdout) as { apiKey: string }).apiKey;
    db = new pg.Client({ connectionString: env.DATABASE_URL });
    await db.connect();
  });

  afterAll(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await db?.end();
    await scratch?.drop();
  });

  function start(): Promise<ServerProcess> {
    return startServerProcess(env);
  }

  it('leaves the job FAILED, the committed batches whole, and a second import of the file completes', async () => {
    server = await start();
    let settled = false;
    const upload = uploadCsv(server.url, key, FILE, 'big.csv')
      .catch((error: unknown) => error)
      .finally(() => (settled = true));

    // Kill once at least one batch has committed, while the job still runs.
    let job: { id: string; status: string; rows_processed: number } | undefined;
    for (;;) {
      const { rows } = await db.query<{ id: string; status: string; rows_processed: number }>(
        'SELECT id, status::text, rows_processed FROM import_jobs',
      );
      job = rows[0];
      if (job && job.rows_processed > 0) break;
      if (settled) throw new Error(`the upload ended before a batch committed: ${JSON.stringify(await upload)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(job.status, 'the import finished before the kill: make the file larger').toBe('PROCESSING');
    server.child.kill('SIGKILL');
    await server.exited;
    expect(await upload).toBeInstanceOf(Error); // the client saw its connection die

    server = await start();
    const read = await graphql(
      server.url,
      'query ($id: ID!) { importJob(id: $id) { status rowsProcessed imported updated errors failureReason finishedAt } }',
      { id: job.id },
      key,
    );
    const failed = read.data.importJob;
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toBe('the service stopped before the import finished');
    expect(failed.finishedAt).not.toBeNull();

    // Exactly the committed rows are there, each whole.
    const { rows: contacts } = await db.query<{
      email: string;
      first_name: string;
      last_name: string;
      properties: Record<string, unknown>;
    }>('SELECT email, first_name, last_name, properties FROM contacts');
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts.length).toBeLessThan(ROWS);
    expect(failed).toMatchObject({ rowsProcessed: contacts.length, imported: contacts.length, updated: 0, errors: 0 });
    const broken = contacts.filter((contact) => {
      const i = Number(/^person(\d+)@example\.com$/.exec(contact.email)?.[1] ?? NaN);
      const expected = person(i);
      return !(
        contact.first_name === expected.firstName &&
        contact.last_name === expected.lastName &&
        isDeepStrictEqual(contact.properties, expected.properties)
      );
    });
    expect(broken.slice(0, 5)).toEqual([]);

    // The same file again: the committed rows update, the rest are created.
    const again = await uploadCsv(server.url, key, FILE, 'big.csv');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ imported: ROWS - contacts.length, updated: contacts.length, errors: 0 });
    const [count] = (await db.query<{ count: number }>('SELECT count(*)::int AS count FROM contacts')).rows;
    expect(count!.count).toBe(ROWS);
    const second = await graphql(
      server.url,
      'query ($id: ID!) { importJob(id: $id) { status rowsProcessed } }',
      { id: again.body.job_id },
      key,
    );
    expect(second.data.importJob).toEqual({ status: 'COMPLETED', rowsProcessed: ROWS });
  }, 120_000);
});
