// `npm run bench:isolation`: interactive latency and the service's memory while imports run
// (issue 11). Uploads IMPORTS wide files (2 KB rows) at once with curl, up to MAX_CONCURRENT_IMPORTS
// of them admitted, and meanwhile asks contact(email:) every 20 ms; prints the interactive
// p50/p95/max, beside it the same lookup through raw pg (the floor: what the database itself
// answers in while the imports load it), how many uploads were admitted or answered 429, and the
// service's peak RSS.
// BENCH_IMPORTS (8), BENCH_IMPORT_MB (50 per file) and BENCH_MAX_CONCURRENT_IMPORTS (8) scale it.
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { percentile } from './support/load.js';
import { ensureDatabase } from './support/postgres.js';
import { benchAccount } from './support/seed.js';
import { graphqlClient, startServiceProcess } from './support/service.js';

const IMPORTS = Number(process.env.BENCH_IMPORTS ?? 8);
const FILE_MB = Number(process.env.BENCH_IMPORT_MB ?? 50);
const CAP = process.env.BENCH_MAX_CONCURRENT_IMPORTS ?? '8';

const url = await ensureDatabase('contacts_bench_isolation');
const { accountId, apiKey } = await benchAccount(url, 'Isolation');
const floor = new pg.Pool({ connectionString: url, max: 1 });
const files = await Promise.all(Array.from({ length: IMPORTS }, (_, i) => wideFile(i)));
const service = await startServiceProcess({ DATABASE_URL: url, MAX_CONCURRENT_IMPORTS: CAP });
const gql = graphqlClient(service.url, apiKey);
await gql('{ contact(email: "nobody@example.com") { id } }');

let peakRss = rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 100);
const started = Date.now();
const uploads = files.map((file) => curlUpload(file));
let done = false;
void Promise.all(uploads).then(() => (done = true));
const latencies: number[] = [];
const floorLatencies: number[] = [];
while (!done) {
  const t0 = performance.now();
  await gql('{ contact(email: "nobody@example.com") { id } }');
  latencies.push(performance.now() - t0);
  const t1 = performance.now();
  await floor.query('SELECT id FROM contacts WHERE account_id = $1 AND email = $2', [accountId, 'nobody@example.com']);
  floorLatencies.push(performance.now() - t1);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
await floor.end();
clearInterval(sampler);
const statuses = await Promise.all(uploads);
const percentiles = (values: number[]) => {
  values.sort((a, b) => a - b);
  const at = (q: number) => percentile(values, q).toFixed(1);
  return { requests: values.length, p50: at(0.5), p95: at(0.95), max: at(1) };
};
console.log(
  JSON.stringify({
    imports: IMPORTS,
    fileMB: FILE_MB,
    maxConcurrentImports: CAP,
    seconds: ((Date.now() - started) / 1000).toFixed(1),
    uploads: statuses.reduce<Record<string, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {}),
    interactive: percentiles(latencies),
    floor: percentiles(floorLatencies),
    peakRssMB: Math.round(peakRss / 1024),
  }),
);
await service.stop();
for (const file of files) rmSync(file);

function rss(): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${service.pid}/status`, 'utf8'))?.[1] ?? 0);
}

/** A CSV of FILE_MB of 2 KB rows, its emails its own. */
async function wideFile(index: number): Promise<string> {
  const path = join(tmpdir(), `isolation-${index}.csv`);
  const out = createWriteStream(path);
  out.write('email,first_name,last_name,note\n');
  const note = 'x'.repeat(2000);
  const rows = Math.round((FILE_MB * 1024 * 1024) / 2050);
  for (let i = 0; i < rows; i++)
    if (!out.write(`w${index}_${i}@example.com,First,Last,${note}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  await new Promise<void>((resolve) => out.end(() => resolve()));
  return path;
}

function curlUpload(file: string): Promise<string> {
  return new Promise((resolve) => {
    const curl = spawn('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `Authorization: Bearer ${apiKey}`,
      '-F',
      `file=@${file}`,
      `${service.url}/contacts/import`,
    ]);
    let status = '';
    curl.stdout.on('data', (chunk) => (status += chunk));
    curl.on('close', () => resolve(status || 'no answer'));
  });
}
