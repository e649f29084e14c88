// Start, restart, stop: the embedded database keeps its data, prints its first key once, belongs
// to one process at a time; SIGTERM lets requests in flight finish.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startService } from '../../src/app.js';
import { scratchDatabase } from '../support/databases.js';
import { run, startServerProcess } from '../support/process.js';
import { graphql, testConfig } from '../support/service.js';

const KEY = /sk_live_[A-Za-z0-9]{32,}/;

describe('the embedded database', () => {
  it('creates a default account and prints its key once, and keeps data across restarts', async () => {
    const scratch = await scratchDatabase('pglite');
    try {
      const first = await startService(testConfig(scratch.config));
      const key = first.bootstrapKey!;
      expect(key).toMatch(KEY);
      const [account] = await first.db.prisma.account.findMany();
      await first.db.prisma.contact.create({ data: { id: 'ct_keptkeptkeptkeptkept', accountId: account!.id, email: 'kept@example.com' } });
      await first.stop();

      const second = await startService(testConfig(scratch.config));
      expect(second.bootstrapKey).toBeNull();
      const answer = await graphql(second.url, '{ node(id: "ct_keptkeptkeptkeptkept") { id } }', {}, key);
      expect(answer.data).toEqual({ node: { id: 'ct_keptkeptkeptkeptkept' } });
      expect(await second.db.prisma.account.count()).toBe(1);
      await second.stop();
    } finally {
      await scratch.drop();
    }
  });

  it('refuses a second process while the server holds DATA_DIR, naming the holder, and changes nothing', async () => {
    const scratch = await scratchDatabase('pglite');
    const dataDir = (scratch.config as { dataDir: string }).dataDir;
    const { child: server, exited, url, printed } = await startServerProcess({ DATA_DIR: dataDir });
    try {
      const key = KEY.exec(printed)![0];

      const cli = await run('cli', ['accounts', 'create', '--name', 'Intruder'], { DATA_DIR: dataDir });
      expect(cli.code).toBe(1);
      expect(cli.stderr.trim()).toMatch(new RegExp(`in use by process ${server.pid} \\(.*src/main\\.ts`));

      const second = await run('main', [], { DATA_DIR: dataDir, PORT: '0' });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/is in use by process/);

      // The running server still answers with its data.
      expect((await graphql(url, '{ __typename }', {}, key)).status).toBe(200);
    } finally {
      server.kill('SIGTERM');
      expect((await exited).code).toBe(0);
      await scratch.drop();
    }
  });
});

describe('SIGTERM', () => {
  it('stops taking requests, finishes the one in flight, closes the database and exits 0', async () => {
    const scratch = await scratchDatabase('pglite');
    const dataDir = (scratch.config as { dataDir: string }).dataDir;
    const { child: server, exited, printed, ...started } = await startServerProcess({ DATA_DIR: dataDir });
    try {
      const url = new URL(started.url);
      const key = KEY.exec(printed)![0];

      // A request whose body is still arriving when the signal comes.
      const body = JSON.stringify({ query: '{ __typename }' });
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: '/graphql',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += String(chunk)));
            res.on('end', () => resolve({ status: res.statusCode!, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 5));
        setTimeout(() => {
          server.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(5)), 500);
        }, 200);
      });

      expect(await response).toEqual({ status: 200, text: JSON.stringify({ data: { __typename: 'Query' } }) });
      const { code } = await exited;
      expect(code).toBe(0);
      // The database was closed cleanly: it opens again.
      const reopened = await run('cli', ['migrate'], { DATA_DIR: dataDir });
      expect(reopened).toMatchObject({ code: 0, stdout: 'No pending migrations.\n' });
    } finally {
      server.kill('SIGKILL');
      await scratch.drop();
    }
  });
});
