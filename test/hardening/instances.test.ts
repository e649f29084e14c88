// Several stateless instances over one PostgreSQL: everything they share lives in the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app.js';
import { readMigrations } from '../../src/db/migrate.js';
import { createAccount, createKey } from '../../src/core/accounts/service.js';
import { VERIFIED_KEY_TTL_MS } from '../../src/core/accounts/verified-keys.js';
import { run } from '../support/process.js';
import { type ScratchDatabase, scratchDatabase } from '../support/databases.js';
import { graphql, testConfig } from '../support/service.js';
import { uploadCsv } from '../support/upload.js';

describe('two instances over one PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let one: Service;
  let two: Service;
  let key: string;
  let accountId: string;

  beforeAll(async () => {
    scratch = await scratchDatabase('postgres');
    // Started together against an empty database.
    [one, two] = await Promise.all([startService(testConfig(scratch.config)), startService(testConfig(scratch.config))]);
    ({ apiKey: key, accountId } = await createAccount(one.db, 'Shared'));
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

  it('stops a key revoked by the CLI on every instance within VERIFIED_KEY_TTL_MS, and only that key', async () => {
    const doomed = (await createKey(one.db, accountId))!.apiKey;
    const status = async (url: string, apiKey: string) => (await graphql(url, '{ __typename }', {}, apiKey)).status;
    // Both instances have just found the key live, so both remember it.
    expect([await status(one.url, doomed), await status(two.url, doomed)]).toEqual([200, 200]);
    const revoked = await run('cli', ['keys', 'revoke', doomed.slice(0, 16)], { DATABASE_URL: (scratch.config as { url: string }).url });
    expect(revoked.code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, VERIFIED_KEY_TTL_MS));
    expect([await status(one.url, doomed), await status(two.url, doomed)]).toEqual([401, 401]);
    expect([await status(one.url, key), await status(two.url, key)]).toEqual([200, 200]);
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
