// `npm run bench:peer`: the request path beside a general-purpose GraphQL server on the same data.
// PostGraphile 4 (bench/peer/, with pg-simplify-inflector) and this service (as `npm start` runs
// it, NODE_ENV=production) read the same contacts table of the same PostgreSQL database, the
// account scoped for PostGraphile by `condition: { accountId }` (it checks no key; the service
// checks one on every request). Each query runs on both sides in alternating rounds under the
// same closed-loop load (autocannon, 4 keep-alive connections), and every answer is checked
// against the first one, itself checked to list the same contacts on both sides. The last row is
// the REST list (GET /contacts, whole contacts and their total) beside PostGraphile's first page
// of the same whole contacts.
//
// Environment: BENCH_CONTACTS (default 1000000), BENCH_SECONDS per round (10), BENCH_ROUNDS (3),
// BENCH_CONNECTIONS (4); the seed is bench:contacts' own (database contacts_bench).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { percentile } from './support/load.js';
import { ensureDatabase } from './support/postgres.js';
import { benchAccount, seedContacts } from './support/seed.js';
import { startServiceProcess } from './support/service.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const PEER_PORT = 4200;
const FIELDS = 'id email firstName lastName';
const log = (line: string) => process.stderr.write(`${line}\n`);

const databaseUrl = await ensureDatabase('contacts_bench');
const { accountId, apiKey } = await benchAccount(databaseUrl, 'contacts-bench');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
await seedContacts(pool, accountId, CONTACTS);
await pool.end();

/** One GraphQL server under test: where it answers and how it spells the account's contact list. */
interface Side {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The query text of `contacts(first: 20 …)` with the given selection, and its variables. */
  query(selection: string, after: string | null): { query: string; variables: Record<string, unknown> };
}

const service = await startServiceProcess({ DATABASE_URL: databaseUrl });
const peer = await startPeer(databaseUrl);
try {
  const sides: Side[] = [
    {
      name: 'this service',
      url: `${service.url}/graphql`,
      headers: { authorization: `Bearer ${apiKey}` },
      query: (selection, after) => ({
        query: `query Page($after: String) { contacts(first: 20, after: $after) { ${selection} } }`,
        variables: { after },
      }),
    },
    {
      name: 'PostGraphile',
      url: `http://127.0.0.1:${PEER_PORT}/graphql`,
      headers: {},
      query: (selection, after) => ({
        query: `query Page($after: Cursor, $accountId: String!) {
          contacts(first: 20, after: $after, condition: { accountId: $accountId }, orderBy: [CREATED_AT_DESC, ID_DESC]) { ${selection} } }`,
        variables: { after, accountId },
      }),
    },
  ];

  const page = (fields: string) => `edges { node { ${fields} } }`;
  const queries = [
    { name: 'Q1 first page with totalCount', selection: `totalCount ${page(FIELDS)}`, page: 1 },
    { name: 'Q2 first page', selection: page(FIELDS), page: 1 },
    { name: 'Q3 page 51 by cursor (a variable)', selection: page(FIELDS), page: 51 },
  ];

  const results: Row[] = [];
  // Each comparison is one request per side, the same every time; what each side answers to it is
  // found once and every answer of the load compared with it.
  const compare = async (name: string, requests: Request[], listOf: ((text: string) => string[])[]) => {
    const expected = await Promise.all(requests.map((request) => send(request)));
    const lists = expected.map((text, i) => JSON.stringify(listOf[i]!(text)));
    if (lists.some((list) => list !== lists[0])) throw new Error(`${name}: the two sides list different contacts`);
    const samples = requests.map(() => ({ latencies: [] as number[], requests: 0, seconds: 0 }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, request] of requests.entries()) {
        const sample = await load(request, expected[i]!);
        samples[i]!.latencies.push(...sample.latencies);
        samples[i]!.requests += sample.latencies.length;
        samples[i]!.seconds += sample.seconds;
        log(`${name}, round ${round + 1}, ${request.side}: ${(sample.latencies.length / sample.seconds).toFixed(0)} req/s`);
      }
    }
    const [ours, theirs] = samples.map(summary);
    results.push({ query: name, ours: ours!, theirs: theirs! });
  };
  const graphqlEmails = (text: string) => (JSON.parse(text) as PageAnswer).data.contacts.edges.map((edge) => edge.node.email);
  const graphqlRequest = async (side: Side, selection: string, pageNumber: number): Promise<Request> => ({
    side: side.name,
    url: side.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...side.headers },
    body: JSON.stringify(side.query(selection, await cursorBefore(side, pageNumber))),
  });

  for (const query of queries) {
    const requests = await Promise.all(sides.map((side) => graphqlRequest(side, query.selection, query.page)));
    await compare(query.name, requests, [graphqlEmails, graphqlEmails]);
  }
  // The REST list answers whole contacts and the page's total (the maintained count); PostGraphile
  // is asked for the same whole contacts without a count, which would cost it a full scan.
  const rest: Request = { side: sides[0]!.name, url: `${service.url}/contacts?per_page=20`, method: 'GET', headers: sides[0]!.headers };
  const whole = 'id email firstName lastName properties unsubscribed unsubscribedAt createdAt updatedAt';
  await compare(
    'Q4 REST GET /contacts?per_page=20 (whole contacts; PostGraphile: Q2 with them, no count)',
    [rest, await graphqlRequest(sides[1]!, page(whole), 1)],
    [(text) => (JSON.parse(text) as { contacts: { email: string }[] }).contacts.map((contact) => contact.email), graphqlEmails],
  );

  console.log(
    `\nbench:peer — ${CONTACTS.toLocaleString('en')} contacts, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${SECONDS} s per side and query`,
  );
  console.log(`machine: ${cpus().length} cores, load average after ${loadavg()[0]!.toFixed(1)}\n`);
  console.log(
    '| query (20 contacts: id email firstName lastName) | this service req/s | p50 / p95 / p99 | PostGraphile req/s | p50 / p95 / p99 | ratio |',
  );
  console.log('|---|---:|---|---:|---|---:|');
  for (const { query, ours, theirs } of results) {
    console.log(
      `| ${query} | ${ours.rps.toFixed(0)} | ${ours.percentiles} | ${theirs.rps.toFixed(0)} | ${theirs.percentiles} | ${(ours.rps / theirs.rps).toFixed(2)} |`,
    );
  }
} finally {
  await service.stop();
  peer.kill('SIGTERM');
}

interface PageAnswer {
  data: { contacts: { edges: { node: { email: string } }[]; pageInfo?: { endCursor: string | null } } };
}

interface Row {
  query: string;
  ours: Summary;
  theirs: Summary;
}

interface Summary {
  rps: number;
  percentiles: string;
}

function summary({ latencies, requests, seconds }: { latencies: number[]; requests: number; seconds: number }): Summary {
  latencies.sort((a, b) => a - b);
  return { rps: requests / seconds, percentiles: [0.5, 0.95, 0.99].map((f) => percentile(latencies, f).toFixed(1)).join(' / ') + ' ms' };
}

/** The cursor that `page` (1-based, 20 a page) follows on this side; null for the first page. */
async function cursorBefore(side: Side, target: number): Promise<string | null> {
  let after: string | null = null;
  for (let n = 1; n < target; n++) {
    const answer = JSON.parse(await post(side, JSON.stringify(side.query('pageInfo { endCursor }', after)))) as PageAnswer;
    after = answer.data.contacts.pageInfo!.endCursor;
  }
  return after;
}

/** One request of a comparison, sent the same way by the check and by the load. */
interface Request {
  side: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

async function send({ side, url, method, headers, body }: Request): Promise<string> {
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) throw new Error(`${side} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

async function post(side: Side, body: string): Promise<string> {
  return send({ side: side.name, url: side.url, method: 'POST', headers: { 'content-type': 'application/json', ...side.headers }, body });
}

/** One round of closed-loop load with one request; throws when any answer differs from `expected`. */
async function load(request: Request, expected: string): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let wrong = 0;
  const options: autocannon.Options = {
    url: request.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: request.method,
        headers: request.headers,
        body: request.body,
        onResponse: (status, text) => {
          if (status !== 200 || text !== expected) wrong++;
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, done) =>
      error ? reject(error instanceof Error ? error : new Error('autocannon failed')) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  if (wrong > 0 || result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${request.side}: ${wrong} wrong answers, ${result.errors} errors, ${result.non2xx} non-2xx of ${latencies.length}`);
  }
  return { latencies, seconds: result.duration };
}

/** PostGraphile in its own process, its own packages installed on first use. */
async function startPeer(url: string): Promise<ChildProcess> {
  const dir = fileURLToPath(new URL('./peer/', import.meta.url));
  if (!existsSync(`${dir}node_modules/postgraphile`)) {
    log('installing PostGraphile into bench/peer/ (once)');
    const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
    if (install.status !== 0) throw new Error('npm ci in bench/peer failed');
  }
  const child = spawn(process.execPath, ['server.cjs'], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: url, PORT: String(PEER_PORT), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGTERM'));
  const [line] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => [Buffer.from('exited')])])) as Buffer[];
  if (!line?.toString().includes('ready')) throw new Error('PostGraphile did not start');
  return child;
}
