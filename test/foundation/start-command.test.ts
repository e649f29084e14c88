// `npm start` as the README gives it: compiles the service, runs it with its memory settings on
// the embedded database, serves GraphiQL and the API, and stops cleanly on SIGTERM. (The other
// process tests run the sources through tsx; this one guards the compiled path users run.)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finished, ROOT, waitForOutput } from '../support/process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'contacts-npm-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('builds, serves on the embedded database, and stops cleanly on SIGTERM', async () => {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // a process group of its own: npm does not pass SIGTERM on, so the group gets it
    });
    const exited = finished(child);
    try {
      const printed = await waitForOutput(child, /GraphiQL: (\S+)\/graphql/);
      const url = /GraphiQL: (\S+)\/graphql/.exec(printed)![1]!;
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const key = /sk_live_\w+/.exec(printed)?.[0];
      expect(key).toBeDefined();
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ contacts(first: 1) { totalCount } }' }),
      });
      expect(await response.json()).toEqual({ data: { contacts: { totalCount: 0 } } });
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
    // Closed once every process of the group has let go of the output; the service said it stopped
    // and released the data directory, so the next start opens it.
    const { stdout, stderr } = await exited;
    expect(`${stdout}${stderr}`).toMatch(/"message":"stopping","signal":"SIGTERM"/);
    expect(`${stdout}${stderr}`).not.toMatch(/"level":"error"/);
    expect(existsSync(join(dataDir, '.lock'))).toBe(false);
  });
});
