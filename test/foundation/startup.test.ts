// A process that cannot start says why in one line and exits non-zero.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../support/process.js';

const scratch = mkdtempSync(join(tmpdir(), 'contacts-startup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function expectOneClearLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('start-up failures', () => {
  it('refuses a DATABASE_URL that is not a PostgreSQL URL', async () => {
    const result = await run('main', [], { DATABASE_URL: 'mysql://root@localhost/db' });
    expect(result.code).toBe(1);
    expectOneClearLine(result.stderr, /DATABASE_URL must start with postgres:\/\//);
  });

  it('refuses a DATABASE_URL that is no URL at all', async () => {
    const result = await run('main', [], { DATABASE_URL: 'not a url' });
    expect(result.code).toBe(1);
    expectOneClearLine(result.stderr, /DATABASE_URL is not a URL/);
  });

  it('says so when PostgreSQL cannot be reached', async () => {
    const result = await run('main', [], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/contacts' });
    expect(result.code).toBe(1);
    expectOneClearLine(result.stderr, /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/contacts: .*ECONNREFUSED.*check DATABASE_URL/);
  });

  it('says so when DATA_DIR cannot be written', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a directory');
    const result = await run('main', [], { DATA_DIR: join(file, 'data') });
    expect(result.code).toBe(1);
    expectOneClearLine(result.stderr, /DATA_DIR .* is not a writable directory/);
  });

  it('says so when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await run('main', [], { DATA_DIR: join(scratch, 'port'), PORT: String(port) });
      expect(result.code).toBe(1);
      expectOneClearLine(result.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad PORT or LOG_LEVEL', async () => {
    const port = await run('main', [], { PORT: 'eighty' });
    expect(port.code).toBe(1);
    expectOneClearLine(port.stderr, /PORT must be a whole number/);
    const level = await run('main', [], { LOG_LEVEL: 'loud' });
    expect(level.code).toBe(1);
    expectOneClearLine(level.stderr, /LOG_LEVEL must be one of/);
  });
});
