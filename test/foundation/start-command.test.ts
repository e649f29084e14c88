// `npm start` as the README gives it: compiles the service, runs it with its memory settings on
// the embedded database, serves GraphiQL and the API, and stops cleanly on SIGTERM, however a
// supervisor sends it: to npm's own process only (Docker's `CMD ["npm", "start"]`, systemd's
// main PID) or to the whole process group. (The other process tests run the sources through tsx;
// this one guards the compiled path users run.)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, waitForOutput } from '../support/process.js';

const dataDirs: string[] = [];
afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Whether any process of the group is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it.each(['npm only', 'the whole process group'])(
    'builds, serves on the embedded database, and exits 0 after a clean stop when SIGTERM goes to %s',
    async (target) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'contacts-npm-start-'));
      dataDirs.push(dataDir);
      const child = spawn('npm', ['start', '--silent'], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // a process group of its own, as under a supervisor
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
      child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let url: string | undefined;
      try {
        const printed = await waitForOutput(child, /GraphiQL: (\S+)\/graphql/);
        url = /GraphiQL: (\S+)\/graphql/.exec(printed)![1]!;
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
        process.kill(target === 'npm only' ? child.pid! : -child.pid!, 'SIGTERM');
      }
      // npm exits 0 once the service has stopped: nothing of the group is left holding the port
      // or the data directory.
      expect(await exited).toBe(0);
      expect(groupAlive(child.pid!)).toBe(false);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
      expect(existsSync(join(dataDir, '.lock'))).toBe(false);
      expect(output).toMatch(/"message":"stopping","signal":"SIGTERM"/);
      expect(output).not.toMatch(/"level":"error"/);
    },
  );
});
