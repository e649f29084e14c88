// Issue 11: imports cannot take the pool from interactive requests. On PostgreSQL every statement
// of an import runs on a small pool of its own (IMPORT_POOL_SIZE), its connections named
// "contacts-service imports" in pg_stat_activity beside the interactive "contacts-service" ones;
// on PGlite (one connection) the imports' database is the database itself. Either way an
// interactive query answers while an import runs.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app.js';
import { createAccount } from '../../src/core/accounts/service.js';
import { DEFAULT_IMPORT_POOL_SIZE } from '../../src/config.js';
import { ADMIN_URL, DATABASE_KINDS, scratchDatabase, type ScratchDatabase } from '../support/databases.js';
import { graphql, testConfig } from '../support/service.js';
import { csvRows, slowUpload } from '../support/slow-upload.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Backend {
  application_name: string;
  query: string;
}

/** The backends connected to the database, as an operator reads them. */
async function backendsOf(database: string): Promise<Backend[]> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<Backend>('SELECT application_name, query FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows;
  } finally {
    await client.end();
  }
}

describe.each(DATABASE_KINDS)('the imports’ own pool (%s)', (kind) => {
  let scratch: ScratchDatabase | undefined;
  let service: Service | undefined;
  afterEach(async () => {
    await service?.stop().catch(() => {});
    service = undefined;
    await scratch?.drop();
  });

  it('runs a running import’s statements on its own connections, while an interactive query still answers', async () => {
    scratch = await scratchDatabase(kind);
    service = await startService(testConfig(scratch.config));
    const { apiKey, accountId } = await createAccount(service.db, 'Pool');
    if (kind === 'pglite') expect(service.db.forImports).toBe(service.db);
    else expect(service.db.forImports).not.toBe(service.db);

    const upload = slowUpload(service.url, apiKey);
    // One batch is 5,000 rows: the first commits once the 5,001st row is read.
    await upload.write(`email,first_name,last_name\n${csvRows(0, 5001)}`);
    for (;;) {
      const [job] = await service.db.prisma.importJob.findMany({ where: { accountId } });
      if (job && job.rowsProcessed > 0) break;
      await pause(20);
    }

    if (scratch.config.kind === 'postgres') {
      const backends = await backendsOf(new URL(scratch.config.url).pathname.slice(1));
      const imports = backends.filter((backend) => backend.application_name === 'contacts-service imports');
      expect(imports.length).toBeGreaterThanOrEqual(1);
      expect(imports.length).toBeLessThanOrEqual(DEFAULT_IMPORT_POOL_SIZE);
      // The batch ran there (its last statement, the batch's COMMIT), not on an interactive connection.
      expect(imports.map((backend) => backend.query)).toContainEqual(expect.stringMatching(/^COMMIT$|import_jobs|contacts/));
      const interactive = backends.filter((backend) => backend.application_name === 'contacts-service');
      expect(interactive.length).toBeGreaterThanOrEqual(1);
      expect(interactive.map((backend) => backend.query).join('\n')).not.toMatch(/INSERT INTO contacts/i);
    }

    const started = Date.now();
    const answer = await graphql(service.url, '{ contacts(first: 1) { totalCount } }', {}, apiKey);
    expect(answer).toMatchObject({ status: 200, data: { contacts: { totalCount: 5000 } } });
    expect(Date.now() - started).toBeLessThan(2000);

    await upload.write(csvRows(5001, 10));
    await upload.end();
    expect(await upload.answer).toMatchObject({ status: 200, body: { imported: 5011 } });
  }, 120_000);
});
