// Several stateless instances over one PostgreSQL: everything they share lives in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app.js';
import { readMigrations } from '../../src/db/migrate.js';
import { createAccount } from '../../src/core/accounts/service.js';
import { type ScratchDatabase, scratchDatabase } from '../support/databases.js';
import { graphql, testConfig } from '../support/service.js';
import { uploadCsv } from '../support/upload.js';

describe('two instances over one PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let one: Service;
  let two: Service;
  let key: string;

  beforeAll(async () => {
    scratch = await scratchDatabase('postgres');
    // Started together against an empty database.
    [one, two] = await Promise.all([startService(testConfig(scratch.config)), startService(testConfig(scratch.config))]);
    key = (await createAccount(one.db, 'Shared')).apiKey;
  });
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await scratch?.drop();
  });

  it('applied each migration once', async () => {
    const rows = await one.db.withSession((session) =>
      session.query<{ migration_name: string; count: number }>(
        'SELECT migration_name, count(*)::int AS count FROM _prisma_migrations GROUP BY migration_name',
      ),
    );
    const names = readMigrations().map((migration) => migration.name);
    expect(names.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.migration_name).sort()).toEqual(names);
    expect(rows.every((row) => row.count === 1)).toBe(true);
  });

  it('reads through one instance a contact created through the other', async () => {
    const created = await graphql(
      one.url,
      'mutation { createContact(input: { email: "shared@example.com" }) { contact { id } userErrors { code } } }',
      {},
      key,
    );
    const id = created.data.createContact.contact.id as string;
    const read = await graphql(two.url, 'query ($id: ID!) { contact(id: $id) { email } }', { id }, key);
    expect(read.data).toEqual({ contact: { email: 'shared@example.com' } });
  });

  it('lets one instance watch an import made through the other', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => `person${i}@example.com,Person,${i}`).join('\n');
    const answer = await uploadCsv(one.url, key, `email,first_name,last_name\n${rows}\n`, 'people.csv');
    expect(answer.status).toBe(200);
    const job = await graphql(
      two.url,
      'query ($id: ID!) { importJob(id: $id) { status imported updated errors filename } }',
      { id: answer.body.job_id },
      key,
    );
    expect(job.data).toEqual({ importJob: { status: 'COMPLETED', imported: 500, updated: 0, errors: 0, filename: 'people.csv' } });
  });
});
