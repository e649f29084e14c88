// `npm run bench:create`: REST POST /contacts beside GraphQL createContact, one client, the two
// measured in turns (round after round, so that a change in the machine's load touches both),
// each with two clients: fetch (undici, as bench:contacts uses) and node:http with a keep-alive
// agent. Beside them the same requests refused by input checks (a REST 422, a GraphQL user
// error), which reach no database: what each surface costs on its own.
//
// Environment: BENCH_SECONDS per turn (default 3), BENCH_ROUNDS (default 4), BENCH_CONTACTS
// seeded (default 10,000), BENCH_DATABASE (default contacts_create_bench), BENCH_ADMIN_DATABASE_URL
// as bench:contacts, BENCH_CHECKPOINT_BEFORE (REST or GraphQL: a CHECKPOINT before each of
// those measurements). Each measurement logs the WAL it wrote per request: after a checkpoint the
// first change of every page writes the whole page, which a commit then waits to flush.
import { Agent, request as httpRequest } from 'node:http';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { type LoadResult, markdownTable, measure } from './support/load.js';
import { ensureDatabase } from './support/postgres.js';
import { benchAccount, seedContacts } from './support/seed.js';
import { startServiceProcess } from './support/service.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 10_000);
/** A CHECKPOINT before every measurement of the routes whose names start with this (REST or GraphQL), to show what one costs the writes after it. */
const CHECKPOINT_BEFORE = process.env.BENCH_CHECKPOINT_BEFORE;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const RUN = Date.now().toString(36);
const FIELDS = 'id email firstName lastName properties unsubscribed unsubscribedAt createdAt updatedAt';
const CREATE = `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { ${FIELDS} } userErrors { code } } }`;

const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const databaseUrl = await ensureDatabase(process.env.BENCH_DATABASE ?? 'contacts_create_bench');
const { accountId, apiKey } = await benchAccount(databaseUrl, 'create-bench');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
await seedContacts(pool, accountId, CONTACTS);
const service = await startServiceProcess({ DATABASE_URL: databaseUrl }, Number(process.env.BENCH_PORT ?? 4110));

let serial = 0;
const newContact = () => ({ email: `bench-${RUN}-${serial++}@example.com`, firstName: 'Bench', properties: { plan: 'pro', n: serial } });
const restBody = () => {
  const { email, firstName, properties } = newContact();
  return { email, first_name: firstName, properties };
};

interface Reply {
  status: number;
  text: string;
}
type Send = (method: string, path: string, body: unknown) => Promise<Reply>;

const headers = (body: unknown) => ({
  authorization: `Bearer ${apiKey}`,
  ...(body !== undefined && { 'content-type': 'application/json' }),
});

const viaFetch: Send = async (method, path, body) => {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: headers(body),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
};

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const viaHttp: Send = (method, path, body) =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      `${service.url}${path}`,
      {
        method,
        agent,
        headers: { ...headers(body), ...(payload !== undefined && { 'content-length': Buffer.byteLength(payload) }) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

function expect(reply: Reply, status: number, ok: (body: any) => boolean, what: string): void {
  if (reply.status !== status || !ok(JSON.parse(reply.text)))
    throw new Error(`unexpected answer to ${what}: ${reply.status} ${reply.text.slice(0, 300)}`);
}

const scenarios: { name: string; request: (send: Send) => () => Promise<void> }[] = [
  {
    name: 'REST POST /contacts',
    request: (send) => async () =>
      expect(await send('POST', '/contacts', restBody()), 201, (body) => String(body.id).startsWith('ct_'), 'POST /contacts'),
  },
  {
    name: 'GraphQL createContact',
    request: (send) => async () =>
      expect(
        await send('POST', '/graphql', { query: CREATE, variables: { input: newContact() } }),
        200,
        (body) => String(body.data?.createContact?.contact?.id).startsWith('ct_'),
        'createContact',
      ),
  },
  {
    name: 'REST POST /contacts, 422 (no database)',
    request: (send) => async () =>
      expect(await send('POST', '/contacts', { ...restBody(), first_name: 7 }), 422, (body) => Array.isArray(body.errors), 'POST 422'),
  },
  {
    name: 'GraphQL createContact, user error (no database)',
    request: (send) => async () =>
      expect(
        await send('POST', '/graphql', { query: CREATE, variables: { input: { ...newContact(), email: 'not an email' } } }),
        200,
        (body) => body.data?.createContact?.userErrors?.length === 1,
        'createContact user error',
      ),
  },
];
const clients: [string, Send][] = [
  ['fetch', viaFetch],
  ['node:http', viaHttp],
];

/** WAL position and checkpoints so far (cluster-wide: other databases' CREATE and DROP request checkpoints too). */
const walState = async () => {
  const { rows } = await pool.query<{ lsn: string; checkpoints: string }>(
    `SELECT pg_current_wal_flush_lsn()::text AS lsn, (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)::text AS checkpoints`,
  );
  return rows[0]!;
};
// The WAL of this database's pages alone (pg_walinspect reads the records back), so that other
// databases' writes on the same server do not count; without the extension, all WAL since `from`.
const walinspect = await pool.query('CREATE EXTENSION IF NOT EXISTS pg_walinspect').then(
  () => true,
  () => false,
);
const walSince = async (from: string): Promise<{ bytes: number; fpiBytes: number }> => {
  const { lsn: to } = await walState();
  if (to === from) return { bytes: 0, fpiBytes: 0 };
  const { rows } = await pool
    .query<{ bytes: string; fpi: string }>(
      walinspect
        ? `SELECT coalesce(sum(record_length), 0)::text AS bytes, coalesce(sum(fpi_length), 0)::text AS fpi
         FROM pg_get_wal_records_info($1, $2)
         WHERE block_ref LIKE '%/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/%'`
        : `SELECT pg_wal_lsn_diff($2, $1)::text AS bytes, 'NaN' AS fpi`,
      [from, to],
    )
    .catch(() => ({ rows: [{ bytes: 'NaN', fpi: 'NaN' }] })); // its segments already recycled: other databases wrote much WAL
  return { bytes: Number(rows[0]!.bytes), fpiBytes: Number(rows[0]!.fpi) };
};

const samples = new Map<string, LoadResult[]>();
log(`measuring: ${cpus().length} cores, load average ${load()}`);
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [client, send] of clients) {
      for (const scenario of scenarios) {
        const name = `${scenario.name} (${client})`;
        await measure(name, scenario.request(send), { seconds: round === 1 ? 1 : 0.2, warmupSeconds: 0 });
        if (CHECKPOINT_BEFORE && scenario.name.startsWith(CHECKPOINT_BEFORE)) await pool.query('CHECKPOINT');
        const before = await walState();
        const result = await measure(name, scenario.request(send), { concurrency: 1, seconds: SECONDS, warmupSeconds: 0 });
        const wal = await walSince(before.lsn);
        const checkpoints = Number((await walState()).checkpoints) - Number(before.checkpoints);
        samples.set(name, [...(samples.get(name) ?? []), result]);
        log(
          `  ${name}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, ${result.requests} requests, ` +
            `WAL ${(wal.bytes / result.requests / 1024).toFixed(1)} KiB/request (${(wal.fpiBytes / result.requests / 1024).toFixed(1)} KiB whole pages)${checkpoints ? `, ${checkpoints} checkpoint(s)` : ''}`,
        );
      }
    }
    log(`  round ${round} of ${ROUNDS} done, load average ${load()}`);
  }
} finally {
  await service.stop();
  agent.destroy();
  await pool.query(`DELETE FROM contacts WHERE account_id = $1 AND email LIKE 'bench-%'`, [accountId]);
  await pool.end();
}

/** Per measurement: the median of the rounds' p50s and p95s, the sum of requests. */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results: LoadResult[] = [...samples].map(([name, rounds]) => ({
  name,
  concurrency: 1,
  requests: rounds.reduce((sum, r) => sum + r.requests, 0),
  requestsPerSecond: median(rounds.map((r) => r.requestsPerSecond)),
  p50: median(rounds.map((r) => r.p50)),
  p95: median(rounds.map((r) => r.p95)),
}));
/** Per client: in how many rounds REST's p50 was below GraphQL's, for the creation and for the refusal. */
const restAhead = clients.flatMap(([client]) =>
  (['creation', 'refusal'] as const).map((what, pair) => {
    const [rest, graphql] = [scenarios[2 * pair]!, scenarios[2 * pair + 1]!].map(
      (scenario) => samples.get(`${scenario.name} (${client})`) ?? [],
    );
    const ahead = rest!.filter((sample, round) => sample.p50 < graphql![round]!.p50).length;
    return `${what} (${client}): REST p50 below GraphQL's in ${ahead} of ${rest!.length} rounds`;
  }),
);
process.stdout.write(
  `\n${restAhead.join('\n')}\n\n${ROUNDS} rounds of ${SECONDS} s per measurement (medians of the rounds); load average after: ${load()}\n\n${markdownTable(results)}\n`,
);
