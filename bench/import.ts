// `npm run bench:import`: the CSV import and export of a million rows, end to end over HTTP on
// PostgreSQL, beside the floor (psql \copy into a staging table plus one INSERT … SELECT … ON
// CONFLICT into the service's own contacts table, so with exactly the same indexes and triggers),
// then a 1 GiB upload of wide rows (the memory it takes), then the same import on the embedded
// PGlite. The service runs as `npm start` runs it. Prints a markdown table.
//
// Each PostgreSQL import starts after a CHECKPOINT and reports the WAL it wrote.
//
// Environment: BENCH_ROWS (default 1000000), BENCH_GIB=0 skips the 1 GiB upload, BENCH_PGLITE=0
// the PGlite import, BENCH_FLOOR=0 the floors, BENCH_EXPORT=0 the exports, BENCH_DATABASE
// (default contacts_bench_import) names the database, emptied at every run,
// BENCH_BREAKDOWN=1 adds where the time goes (support/import-breakdown.ts; BENCH_BREAKDOWN_ONLY=1
// stops after it), BENCH_STATEMENT_LOG=<PostgreSQL's log file> the database's time by statement
// (support/statement-log.ts), BENCH_ADMIN_DATABASE_URL (see support/postgres.ts). The CSVs are generated once into
// bench/.data/ (gitignored).
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { importCommand } from '../src/cli/import.js';
import { breakdown } from './support/import-breakdown.js';
import { ensureDatabase } from './support/postgres.js';
import { runPsql, STAGED_COLUMNS, STAGED_CONTACT } from './support/staging.js';
import { logOffset, logStatements, type StatementTimes, statementTimes } from './support/statement-log.js';
import { downloadExport, type RunningService, startServiceProcess } from './support/service.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const DATA_DIR = join(import.meta.dirname, '.data');
const FILE = join(DATA_DIR, `contacts-${ROWS}.csv`);
/** Just under MAX_UPLOAD_BYTES' default of 1 GiB, in rows of about 2 KB (a long notes column). */
const GIB_FILE = join(DATA_DIR, 'wide-1gib.csv');
const GIB = 2 ** 30;
const PORT = 4185; // not 4190: fetch refuses that port (the spec's "bad ports")
const log = (line: string) => process.stderr.write(`${line}\n`);
const rate = (rows: number, seconds: number) => Math.round(rows / seconds).toLocaleString('en');

interface Result {
  name: string;
  rows: number;
  seconds: number;
  /** The service's resident memory as the measurement started, and its peak during it. */
  rssMb?: { before: number; peak: number };
  floorSeconds?: number;
  walMb?: number;
  /** The database's statement times during it (BENCH_STATEMENT_LOG). */
  statements?: StatementTimes;
}
const results: Result[] = [];
const load = [loadavg()[0]!.toFixed(1)];

await generateCsv();
const gibRows = process.env.BENCH_GIB === '0' ? 0 : await generateWideCsv();
const databaseUrl = await ensureDatabase(process.env.BENCH_DATABASE ?? 'contacts_bench_import');
await emptyDatabase(databaseUrl);

// The floor first, on a fresh account of its own: new rows, then every row conflicting.
const withFloor = process.env.BENCH_FLOOR !== '0';
const floorAccount = withFloor ? await createAccount({ DATABASE_URL: databaseUrl }) : null;
const floorNew = floorAccount ? await floor(databaseUrl, floorAccount.accountId) : undefined;
const floorConflict = floorAccount ? await floor(databaseUrl, floorAccount.accountId) : undefined;
const parts =
  process.env.BENCH_BREAKDOWN === '1'
    ? await breakdown(databaseUrl, FILE, (await createAccount({ DATABASE_URL: databaseUrl })).accountId)
    : [];
if (process.env.BENCH_BREAKDOWN_ONLY === '1') {
  printBreakdown();
  process.exit(0);
}

const statementLog = process.env.BENCH_STATEMENT_LOG;
if (statementLog) await logStatements(databaseUrl, true);
const postgres = await startServiceProcess({ DATABASE_URL: databaseUrl }, PORT);
const account = await createAccount({ DATABASE_URL: databaseUrl });
results.push({
  ...(await walOf(() => importOver(postgres, account.apiKey, 'import into an empty account (PostgreSQL)'))),
  floorSeconds: floorNew,
});
results.push({
  ...(await walOf(() => importOver(postgres, account.apiKey, 're-import, all updates (PostgreSQL)'))),
  floorSeconds: floorConflict,
});
if (process.env.BENCH_EXPORT !== '0') {
  // Two million-row rewrites leave a million dead row versions and a checkpoint due; the export
  // is measured as autovacuum would soon leave the table, not in the middle of that.
  runPsql(databaseUrl, 'VACUUM ANALYZE contacts; CHECKPOINT;');
  // The first export reads the rewritten pages for the first time; the second is the steady state.
  results.push(await exportOver(postgres, account.apiKey, 'export, first read after the imports (PostgreSQL)'));
  results.push(await exportOver(postgres, account.apiKey, 'export again (PostgreSQL)'));
}
if (gibRows) {
  const wide = await createAccount({ DATABASE_URL: databaseUrl });
  results.push(
    await importOver(postgres, wide.apiKey, `a 1 GiB file of ${gibRows.toLocaleString('en')} 2 KB rows (PostgreSQL)`, GIB_FILE, gibRows),
  );
}
load.push(loadavg()[0]!.toFixed(1));
await postgres.stop();
if (statementLog) await logStatements(databaseUrl, false);

if (process.env.BENCH_PGLITE !== '0') {
  const pgliteDir = mkdtempSync(join(tmpdir(), 'contacts-bench-pglite-'));
  try {
    const pgliteAccount = await createAccount({ DATA_DIR: pgliteDir });
    const pglite = await startServiceProcess({ DATA_DIR: pgliteDir }, PORT);
    results.push(await importOver(pglite, pgliteAccount.apiKey, 'import into an empty account (PGlite)'));
    await pglite.stop();
  } finally {
    rmSync(pgliteDir, { recursive: true, force: true });
  }
  load.push(loadavg()[0]!.toFixed(1));
}

console.log(
  `\n${ROWS.toLocaleString('en')} rows, ${(statSync(FILE).size / 1e6).toFixed(0)} MB CSV; ${cpus().length} cores; 1-min load average at start, after PostgreSQL, after PGlite: ${load.join(', ')}\n`,
);
console.log('| measurement | seconds | rows/s | floor rows/s | ratio to floor | service RSS before → peak | WAL |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const floorRate = r.floorSeconds ? rate(r.rows, r.floorSeconds) : '';
  const ratio = r.floorSeconds ? (r.floorSeconds / r.seconds).toFixed(2) : '';
  const rss = r.rssMb ? `${r.rssMb.before} → ${r.rssMb.peak} MB` : '';
  const wal = r.walMb === undefined ? '' : `${r.walMb.toLocaleString('en')} MB`;
  console.log(`| ${r.name} | ${r.seconds.toFixed(1)} | ${rate(r.rows, r.seconds)} | ${floorRate} | ${ratio} | ${rss} | ${wal} |`);
}

printBreakdown();
for (const r of results) printStatements(r);

/** The database's time by kind of statement, and what the wall time has beyond it. */
function printStatements(r: Result): void {
  if (!r.statements) return;
  console.log(`\n${r.name}: the database's time by statement (PostgreSQL's log, BENCH_STATEMENT_LOG)\n`);
  console.log('| statement | count | parse, s | bind, s | execute, s | share of the wall time |');
  console.log('|---|---:|---:|---:|---:|---:|');
  let total = 0;
  for (const [kind, t] of [...r.statements.byKind].sort((a, b) => b[1].execute - a[1].execute)) {
    const sum = (t.parse + t.bind + t.execute) / 1000;
    total += sum;
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log(`| ${kind} | ${t.count} | ${s(t.parse)} | ${s(t.bind)} | ${s(t.execute)} | ${((100 * sum) / r.seconds).toFixed(0)} % |`);
  }
  const rest = r.seconds - total;
  console.log(
    `| the service's own (reading, checking, building batches, the wire) | | | | ${rest.toFixed(1)} | ${((100 * rest) / r.seconds).toFixed(0)} % |`,
  );
}

function printBreakdown(): void {
  if (parts.length === 0) return;
  console.log(`\nWhere the time goes, ${ROWS.toLocaleString('en')} rows into an empty account (see bench/support/import-breakdown.ts)\n`);
  console.log('| part | seconds | its cost, s | rows/s |');
  console.log('|---|---:|---:|---:|');
  for (const p of parts) {
    const cost = p.cost === undefined ? '' : p.cost.toFixed(1);
    console.log(`| ${p.part} | ${p.seconds.toFixed(1)} | ${cost} | ${rate(ROWS, p.seconds)} |`);
  }
}

/** email, first and last name, five property columns; about 75 bytes a row. */
async function generateCsv(): Promise<void> {
  if (existsSync(FILE)) return;
  mkdirSync(DATA_DIR, { recursive: true });
  log(`generating ${FILE}`);
  const out = createWriteStream(FILE);
  const plans = ['free', 'pro', 'team'];
  const cities = ['Berlin', 'Paris', 'Lisbon', 'Oslo', 'Rome', 'Madrid', 'Vienna', 'Prague'];
  out.write('email,first_name,last_name,plan,company,city,score,signed_up\n');
  for (let n = 1; n <= ROWS; n++) {
    const line = `user${n}@bench.example,First${n % 40},Last${n % 60},${plans[n % 3]},Company ${n % 1000},${cities[n % 8]},${n % 5000},2026-0${1 + (n % 9)}-1${n % 10}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Rows of about 2 KB (names, a plan, a 1,900-character note) up to just under 1 GiB; answers the row count. */
async function generateWideCsv(): Promise<number> {
  const header = 'email,first_name,last_name,plan,notes\n';
  const row = (n: number) => `wide${n}@bench.example,First${n % 40},Last${n % 60},pro,${`note ${n} `.repeat(200).slice(0, 1900)}\n`;
  const rows = Math.floor((GIB - header.length) / row(1_000_000).length); // every row is as long as this one or shorter
  if (existsSync(GIB_FILE)) return rows;
  log(`generating ${GIB_FILE}`);
  const out = createWriteStream(GIB_FILE);
  out.write(header);
  for (let n = 1; n <= rows; n++) if (!out.write(row(n))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return rows;
}

async function emptyDatabase(url: string): Promise<void> {
  // Migrated by the service on its first start; before that there is nothing to empty.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query(`SELECT 1 FROM pg_tables WHERE tablename = 'accounts'`);
    if (rowCount) await client.query('TRUNCATE accounts CASCADE');
    await client.query('DROP TABLE IF EXISTS bench_staging');
  } finally {
    await client.end();
  }
}

/** A new account and key through the CLI (which also migrates the database). */
async function createAccount(env: Record<string, string>): Promise<{ accountId: string; apiKey: string }> {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'accounts', 'create', '--name', 'bench-import', '--json'],
    {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`accounts create failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { accountId: string; apiKey: string };
}

/** psql \copy of the file into a staging table, then one INSERT … SELECT … ON CONFLICT. */
async function floor(url: string, accountId: string): Promise<number> {
  const script = `
    DROP TABLE IF EXISTS bench_staging;
    CREATE UNLOGGED TABLE bench_staging (${STAGED_COLUMNS.map((column) => `${column} text`).join(', ')});
    \\copy bench_staging FROM '${FILE}' WITH (FORMAT csv, HEADER true)
    INSERT INTO contacts AS c (id, account_id, email, first_name, last_name, properties, created_at, updated_at)
    SELECT 'ct_' || substr(md5(random()::text || s.email), 1, 20), '${accountId}', ${STAGED_CONTACT}, now(), now()
    FROM bench_staging s
    ON CONFLICT (account_id, email) DO UPDATE SET
      first_name = coalesce(excluded.first_name, c.first_name), last_name = coalesce(excluded.last_name, c.last_name),
      properties = c.properties || excluded.properties, updated_at = excluded.updated_at;
    DROP TABLE bench_staging;`;
  const started = performance.now();
  runPsql(url, script);
  const seconds = (performance.now() - started) / 1000;
  log(`floor: ${seconds.toFixed(1)} s`);
  return seconds;
}

/** A PostgreSQL measurement from a fresh checkpoint (so that each pays its own full-page writes), with the WAL it wrote. */
async function walOf(measure: () => Promise<Result>): Promise<Result> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
    const { rows: before } = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    const offset = statementLog ? logOffset(statementLog) : 0;
    const result = await measure();
    if (statementLog) result.statements = statementTimes(statementLog, offset);
    const { rows: after } = await client.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes', [
      before[0]!.lsn,
    ]);
    return { ...result, walMb: Math.round(Number(after[0]!.bytes) / 1e6) };
  } finally {
    await client.end();
  }
}

/** Resets the process's peak RSS (Linux clear_refs 5), so that each measurement has its own. */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not allowed: the peak is then the process's since it started
  }
}

/** VmRSS (now) or VmHWM (the peak since resetPeak) of a process, in MB. */
function memoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

/** Runs a measurement, with the service's memory before it and its peak during it. */
async function measured(service: RunningService, name: string, rows: number, work: () => Promise<void>): Promise<Result> {
  log(`${name}…`);
  const before = memoryMb(service.pid, 'VmRSS');
  resetPeak(service.pid);
  const started = performance.now();
  await work();
  return { name, rows, seconds: (performance.now() - started) / 1000, rssMb: { before, peak: memoryMb(service.pid, 'VmHWM') } };
}

function importOver(service: RunningService, apiKey: string, name: string, file = FILE, rows = ROWS): Promise<Result> {
  return measured(service, name, rows, () => importCommand([file, '--key', apiKey, '--url', service.url]));
}

/** The export, downloaded by curl; every row must be there. */
function exportOver(service: RunningService, apiKey: string, name: string): Promise<Result> {
  return measured(service, name, ROWS, async () => {
    const rows = downloadExport(service, apiKey).lines - 1; // the header line
    if (rows !== ROWS) throw new Error(`the export has ${rows} rows, expected ${ROWS}`);
  });
}
