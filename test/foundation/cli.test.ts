// The operator's commands, run as processes against a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app.js';
import { VERIFIED_KEY_TTL_MS } from '../../src/core/accounts/verified-keys.js';
import { type ScratchDatabase, scratchDatabase } from '../support/databases.js';
import { run } from '../support/process.js';
import { graphql, testConfig } from '../support/service.js';

describe('the command line on postgres', () => {
  let scratch: ScratchDatabase;
  let env: Record<string, string>;
  let service: Service;

  beforeAll(async () => {
    scratch = await scratchDatabase('postgres');
    env = { DATABASE_URL: (scratch.config as { url: string }).url };
  });
  afterAll(async () => {
    await service?.stop();
    await scratch.drop();
  });

  it('migrate applies pending migrations, then has none left', async () => {
    const first = await run('cli', ['migrate'], env);
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Applied \d+_init/) });
    expect(await run('cli', ['migrate'], env)).toMatchObject({ code: 0, stdout: 'No pending migrations.\n' });
  });

  it('accounts create --json prints one line with the account and a working key; keys create and revoke', async () => {
    const created = await run('cli', ['accounts', 'create', '--name', 'Acme', '--json'], env);
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const { accountId, apiKey } = JSON.parse(lines[0]!) as { accountId: string; apiKey: string };
    expect(accountId).toMatch(/^acc_[a-z0-9]{20}$/);
    expect(apiKey).toMatch(/^sk_live_[A-Za-z0-9]{32,}$/);

    service = await startService(testConfig(scratch.config));
    expect((await graphql(service.url, '{ __typename }', {}, apiKey)).status).toBe(200);

    const second = await run('cli', ['keys', 'create', '--account', accountId, '--json'], env);
    const secondKey = (JSON.parse(second.stdout) as { apiKey: string }).apiKey;
    expect(secondKey).not.toBe(apiKey);

    const revoked = await run('cli', ['keys', 'revoke', apiKey.slice(0, 16)], env);
    expect(revoked).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Key key_[a-z0-9]{20} revoked\.\n$/) });
    // The service checked the key a moment ago and may take it as live for VERIFIED_KEY_TTL_MS more.
    await new Promise((resolve) => setTimeout(resolve, VERIFIED_KEY_TTL_MS));
    expect((await graphql(service.url, '{ __typename }', {}, apiKey)).status).toBe(401);
    expect((await graphql(service.url, '{ __typename }', {}, secondKey)).status).toBe(200);
  });

  it('answers usage errors with a clear message and exit code 2', async () => {
    expect(await run('cli', ['accounts', 'create'], env)).toMatchObject({
      code: 2,
      stderr: 'contacts: accounts create needs --name <name>\n',
    });
    expect(await run('cli', ['keys', 'create', '--account', 'acc_nonenonenonenonenone'], env)).toMatchObject({
      code: 2,
      stderr: 'contacts: no account acc_nonenonenonenonenone\n',
    });
    expect(await run('cli', ['keys', 'revoke', 'sk_live_nothere0'], env)).toMatchObject({
      code: 2,
      stderr: 'contacts: no live key matches sk_live_nothere0\n',
    });
    const unknown = await run('cli', ['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^usage: npm run cli/);
  });

  it('does not make a key unasked on PostgreSQL', async () => {
    const fresh = await scratchDatabase('postgres');
    try {
      const started = await startService(testConfig(fresh.config));
      expect(started.bootstrapKey).toBeNull();
      expect(await started.db.prisma.apiKey.count()).toBe(0);
      await started.stop();
    } finally {
      await fresh.drop();
    }
  });
});
