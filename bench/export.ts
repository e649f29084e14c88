// `npm run bench:export`: GET /contacts/export of an account of a million contacts (four
// properties each) on PostgreSQL, over HTTP, three times on a vacuumed table, with curl as the
// client (support/service.ts) so that the figure is the service's rather than the client's. (bench:import measures
// one export too, right after its imports; this one repeats it on a quiet table.)
//
// Environment: BENCH_CONTACTS (default 1000000), BENCH_ADMIN_DATABASE_URL; the seed is the one
// bench:contacts uses (database contacts_bench), made when missing.
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { ensureDatabase } from './support/postgres.js';
import { benchAccount, seedContacts } from './support/seed.js';
import { downloadExport, startServiceProcess } from './support/service.js';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const RUNS = 3;

const databaseUrl = await ensureDatabase('contacts_bench');
const { accountId, apiKey } = await benchAccount(databaseUrl, 'contacts-bench');
const pool = new pg.Pool({ connectionString: databaseUrl });
await seedContacts(pool, accountId, CONTACTS);
await pool.query('VACUUM ANALYZE contacts');
await pool.query('CHECKPOINT');
await pool.end();

const load = [loadavg()[0]!.toFixed(1)];
const service = await startServiceProcess({ DATABASE_URL: databaseUrl }, 4230);
const runs: { seconds: number; bytes: number }[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const { lines, bytes } = downloadExport(service, apiKey);
  const seconds = (performance.now() - started) / 1000;
  if (lines !== CONTACTS + 1) throw new Error(`the export has ${lines - 1} rows, expected ${CONTACTS}`);
  runs.push({ seconds, bytes });
}
await service.stop();
load.push(loadavg()[0]!.toFixed(1));

console.log(`\n${CONTACTS.toLocaleString('en')} contacts; ${cpus().length} cores; 1-min load average before, after: ${load.join(', ')}\n`);
console.log('| run | seconds | rows/s | MB |');
console.log('|---:|---:|---:|---:|');
runs.forEach((run, index) => {
  console.log(
    `| ${index + 1} | ${run.seconds.toFixed(2)} | ${Math.round(CONTACTS / run.seconds).toLocaleString('en')} | ${(run.bytes / 1e6).toFixed(0)} |`,
  );
});
