// Issue 11, case 5: a frozen PostgreSQL (every process of the cluster stopped with SIGSTOP, as a
// failover on a managed database looks: connections open, nothing answers) is a 503
// SERVICE_UNAVAILABLE with Retry-After for every request, within the timeouts, and /readyz says
// so; once the database answers again the service does too, without a restart. A statement past
// its timeout, and a pool that cannot hand out a connection, are read the same way. When only the
// service's own backends freeze (the postmaster still forks new ones), the requests on frozen
// connections answer 503 and the service goes on over new connections, with no crash: a lost
// connection checked out of the pool emits 'error', which must not be left unheard.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app.js';
import { isDatabaseUnavailable } from '../../src/db/errors.js';
import { createAccount } from '../../src/core/accounts/service.js';
import { graphql, testConfig } from '../support/service.js';
import { type ThrowawayPostgres, throwawayPostgres } from '../support/throwaway-postgres.js';

const TIMEOUTS = { connectMs: 1000, statementMs: 1000 };

describe('a frozen PostgreSQL', () => {
  let cluster: ThrowawayPostgres;
  let service: Service;
  let key: string;
  let frozen: number[] = [];

  beforeAll(async () => {
    cluster = await throwawayPostgres();
    service = await startService(testConfig({ kind: 'postgres', url: cluster.url, timeouts: TIMEOUTS }));
    key = (await createAccount(service.db, 'Freeze')).apiKey;
  });
  afterAll(async () => {
    thaw();
    await service?.stop();
    cluster?.destroy();
  });

  /** The cluster's postmaster and every process it started: the service's backends among them. */
  async function clusterProcesses(): Promise<number[]> {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const postmaster = Number(readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    await client.end();
    const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)])
      .toString()
      .trim()
      .split(/\s+/)
      .map(Number);
    return [postmaster, ...children];
  }

  function freeze(pids: number[]) {
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    frozen = pids;
  }
  function thaw() {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
    frozen = [];
  }

  const read = () => graphql(service.url, '{ contacts(first: 1) { totalCount } }', {}, key);

  it('answers every request 503 with Retry-After while frozen, /readyz 503, and recovers when it thaws', async () => {
    // Several connections open and idle in the pool, as under load.
    expect((await Promise.all(Array.from({ length: 6 }, read))).map((answer) => answer.status)).toEqual(Array(6).fill(200));
    freeze(await clusterProcesses());

    // More requests than the pool has connections: some wait on a frozen connection, some for one.
    const during = await Promise.all(
      Array.from({ length: 14 }, async () => {
        const response = await fetch(`${service.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query: '{ contacts(first: 1) { totalCount } }' }),
        });
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() };
      }),
    );
    for (const answer of during) {
      expect(answer).toMatchObject({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
      expect(answer.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    }
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

    thaw();
    // Recovery needs no restart: the frozen connections were dropped, new ones open.
    let readyAgain = 503;
    while (readyAgain !== 200) readyAgain = (await fetch(`${service.url}/readyz`)).status;
    expect(await read()).toEqual({ status: 200, data: { contacts: { totalCount: 0 } } });
  }, 60_000);

  /** The backends serving the service's connections; the postmaster and everything else stay up. */
  async function serviceBackends(): Promise<number[]> {
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    await client.end();
    return rows.map((row) => row.pid);
  }

  it("answers 503 or 200, never hangs or 500s, when only the service's own backends freeze, and goes on over new connections", async () => {
    expect((await Promise.all(Array.from({ length: 6 }, read))).map((answer) => answer.status)).toEqual(Array(6).fill(200));
    const backends = await serviceBackends();
    expect(backends.length).toBeGreaterThan(0);
    freeze(backends);

    // Each request either meets a frozen connection (503 once the answer timeout passes, and the
    // connection is dropped) or a new one the postmaster still forks (200).
    const during = await Promise.all(Array.from({ length: 14 }, read));
    for (const answer of during) {
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 503) expect(answer.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    }
    // With the frozen connections gone, the service answers again while they are still frozen.
    let status = 503;
    while (status !== 200) status = (await read()).status;
    expect(await read()).toEqual({ status: 200, data: { contacts: { totalCount: 0 } } });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    thaw();
  }, 60_000);

  it('reads a statement past DATABASE_STATEMENT_TIMEOUT_MS as the database being unavailable', async () => {
    const error = await service.db.prisma.$queryRaw`SELECT pg_sleep(3)`.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).not.toBeNull();
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(await read()).toMatchObject({ status: 200 });
  });
});
