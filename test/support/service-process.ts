// The service as its own process on either database, with an account's key: for the tests whose
// request could kill or freeze a process (the test runner must outlive it and see it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type DatabaseKind, scratchDatabase } from './databases.js';
import { run, type ServerProcess, startServerProcess } from './process.js';

export interface ServiceProcess {
  server: ServerProcess;
  url: string;
  key: string;
  /** Asserts the process still runs and answers /healthz. */
  expectAlive(): Promise<void>;
  stop(): Promise<void>;
}

export async function startServiceProcess(kind: DatabaseKind, env: Record<string, string> = {}): Promise<ServiceProcess> {
  let base: Record<string, string>;
  let drop: () => Promise<void>;
  let key: string | undefined;
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'contacts-process-'));
    base = { DATA_DIR: dataDir };
    drop = async () => rmSync(dataDir, { recursive: true, force: true });
  } else {
    const scratch = await scratchDatabase('postgres');
    base = { DATABASE_URL: (scratch.config as { url: string }).url, HOST: '127.0.0.1' };
    drop = () => scratch.drop();
    const created = await run('cli', ['accounts', 'create', '--name', 'Process', '--json'], base);
    expect(created.code, created.stderr).toBe(0);
    key = (JSON.parse(created.stdout) as { apiKey: string }).apiKey;
  }
  const server = await startServerProcess({ ...base, ...env });
  key ??= /sk_live_\w+/.exec(server.printed)![0];
  return {
    server,
    url: server.url,
    key,
    async expectAlive() {
      expect(server.child.exitCode, 'the service process exited').toBeNull();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    },
    async stop() {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
      await server.exited;
      await drop();
    },
  };
}

export async function post(url: string, key: string, body: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // left as text for the assertion to show
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
