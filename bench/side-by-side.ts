// `npm run bench:side-by-side`: two checkouts of this service at once, on the same data, for
// changes too small to see across separate runs on a machine whose speed drifts by a fifth in a
// minute. Both are built and started as `npm start` runs them (bench/support/service.ts); the
// load (closed loop, 4 keep-alive connections) alternates between them in short slices, so that
// a slow moment falls on both; each one's CPU is read from /proc around its own slices.
//
// Environment: BENCH_CHECKOUTS, the two checkouts, comma-separated (for example a
// `git worktree add /tmp/before <commit>` with node_modules linked into it, and `.`);
// BENCH_SLICE seconds (2), BENCH_ROUNDS (12), BENCH_CONTACTS (1000000); the seed is
// bench:contacts' own (database contacts_bench).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { ensureDatabase } from './support/postgres.js';
import pg from 'pg';
import { benchAccount, seedContacts } from './support/seed.js';
import { graphqlClient, startServiceProcess } from './support/service.js';

const CHECKOUTS = (process.env.BENCH_CHECKOUTS ?? '').split(',').filter(Boolean);
const SLICE = Number(process.env.BENCH_SLICE ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
if (CHECKOUTS.length !== 2) throw new Error('set BENCH_CHECKOUTS to two checkouts of the service, comma-separated');

const databaseUrl = await ensureDatabase('contacts_bench');
const { accountId, apiKey } = await benchAccount(databaseUrl, 'contacts-bench');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
await seedContacts(pool, accountId, Number(process.env.BENCH_CONTACTS ?? 1_000_000));
await pool.end();
const services = await Promise.all(
  CHECKOUTS.map(async (dir, i) => ({ dir, ...(await startServiceProcess({ DATABASE_URL: databaseUrl }, 4300 + i, resolve(dir))) })),
);
const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
const pageBody = (after: string | null) =>
  JSON.stringify({
    query: 'query Page($after: String) { contacts(first: 20, after: $after) { edges { node { id email firstName lastName } } } }',
    variables: { after },
  });

try {
  const queries = [
    { name: 'first page', body: pageBody(null) },
    { name: 'page 51 by cursor', body: pageBody(await cursorOfPage(services[0]!.url, 51)) },
  ];
  console.log(`bench:side-by-side — ${ROUNDS} alternating slices of ${SLICE} s per checkout and query\n`);
  console.log('| query | checkout | req/s | service CPU per request |');
  console.log('|---|---|---:|---:|');
  for (const query of queries) {
    const totals = services.map(() => ({ cpuMs: 0, requests: 0, seconds: 0 }));
    for (const service of services) await slice(service.url, query.body, 1); // warm-up and compilation
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, service] of services.entries()) {
        const before = cpuMs(service.pid);
        const result = await slice(service.url, query.body, SLICE);
        totals[i]!.cpuMs += cpuMs(service.pid) - before;
        totals[i]!.requests += result.requests.total;
        totals[i]!.seconds += result.duration;
      }
    }
    for (const [i, service] of services.entries()) {
      const { cpuMs: used, requests, seconds } = totals[i]!;
      console.log(`| ${query.name} | ${service.dir} | ${(requests / seconds).toFixed(0)} | ${(used / requests).toFixed(3)} ms |`);
    }
  }
} finally {
  await Promise.all(services.map((service) => service.stop()));
}

/** User and system CPU time the process has used, in milliseconds (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function slice(url: string, body: string, seconds: number): Promise<autocannon.Result> {
  const result = await autocannon({ url: `${url}/graphql`, method: 'POST', headers, body, connections: 4, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result;
}

async function cursorOfPage(url: string, page: number): Promise<string | null> {
  const query = graphqlClient(url, apiKey);
  let after: string | null = null;
  for (let n = 1; n < page; n++) {
    const data: { contacts: { pageInfo: { endCursor: string } } } = await query(
      'query P($after: String) { contacts(first: 20, after: $after) { pageInfo { endCursor } } }',
      { after },
    );
    after = data.contacts.pageInfo.endCursor;
  }
  return after;
}
