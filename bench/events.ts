// `npm run bench:events`: what one instance does with events. First the webhook deliveries a
// receiver on this machine gets per second: a backlog of BENCH_EVENTS events (one upsert of 1000
// contacts after another, made in this process while no service runs) for one endpoint, then
// the service started and every delivery counted at the receiver (each id once; the signature of
// every one verified). Then the live subscription: a GraphQL subscription over SSE while four
// clients create contacts for BENCH_SECONDS, each event's delay from its transaction's start
// (created_at, before the commit: the figure is an upper bound) to its arrival at the subscriber.
//
// Environment: BENCH_EVENTS (default 20000), BENCH_SECONDS (default 15), BENCH_DATABASE (default
// contacts_bench_events, emptied at every run), BENCH_ADMIN_DATABASE_URL (see support/postgres.ts).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { callerOf } from '../src/core/events/caller.js';
import { upsertContacts } from '../src/core/contacts/service.js';
import { createEndpoint } from '../src/core/webhooks/service.js';
import { openDatabase } from '../src/db/database.js';
import { percentile } from './support/load.js';
import { ensureDatabase } from './support/postgres.js';
import { benchAccount } from './support/seed.js';
import { graphqlClient, startServiceProcess } from './support/service.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WRITERS = 4;
/** Each writer's pause between creations: about 80 events/s in all, a busy account. */
const WRITER_PAUSE_MS = 50;
const log = (line: string) => process.stderr.write(`${line}\n`);
const loads = [loadavg()[0]!.toFixed(1)];

const databaseUrl = await ensureDatabase(process.env.BENCH_DATABASE ?? 'contacts_bench_events');
const admin = new pg.Pool({ connectionString: databaseUrl, max: 1 });
await admin.query(`DO $$ BEGIN IF to_regclass('accounts') IS NOT NULL THEN TRUNCATE accounts CASCADE; END IF; END $$`);
const { accountId, apiKey } = await benchAccount(databaseUrl, 'events-bench');

// The receiver: 204 to every POST, each delivery's signature checked, each webhook-id counted once.
let verifier: Webhook | null = null;
const received = new Map<string, number>();
let badSignatures = 0;
let allReceived: (() => void) | null = null;
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const headers = request.headers as Record<string, string>;
    try {
      verifier!.verify(Buffer.concat(chunks).toString('utf8'), headers);
    } catch {
      badSignatures++;
    }
    if (!received.has(headers['webhook-id']!)) received.set(headers['webhook-id']!, performance.now());
    response.writeHead(204).end();
    if (received.size >= EVENTS) allReceived?.();
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

// The backlog, written as the service would write it, with no service (so no worker) running.
const db = await openDatabase({ kind: 'postgres', url: databaseUrl });
const created = await createEndpoint(db, accountId, { url: hookUrl, eventTypes: ['contact.created'] }, true);
if (!created.ok) throw new Error(`endpoint: ${JSON.stringify(created.errors)}`);
verifier = new Webhook(created.value.secret);
const caller = callerOf(accountId, 'cli', null);
log(`writing a backlog of ${EVENTS} events`);
for (let n = 0; n < EVENTS; n += 1000) {
  const batch = Array.from({ length: Math.min(1000, EVENTS - n) }, (_, i) => ({ email: `backlog${n + i}@bench.example`, firstName: 'B' }));
  const result = await upsertContacts(db, caller, batch);
  if (result.created !== batch.length) throw new Error(`upsert created ${result.created} of ${batch.length}`);
}
await db.close();
await admin.query('ANALYZE webhook_deliveries; ANALYZE events');
await admin.end();

const done = new Promise<void>((resolve) => (allReceived = resolve));
const service = await startServiceProcess({ DATABASE_URL: databaseUrl, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }, 4187);
log('service started; waiting for every delivery');
const deadline = setTimeout(() => {
  log(`only ${received.size} of ${EVENTS} deliveries within 10 minutes`);
  process.exit(1);
}, 600_000);
await done;
clearTimeout(deadline);
const arrivals = [...received.values()].sort((a, b) => a - b);
const deliverySeconds = (arrivals.at(-1)! - arrivals[0]!) / 1000;
const perSecond = (arrivals.length - 1) / deliverySeconds;
if (badSignatures) throw new Error(`${badSignatures} deliveries failed signature verification`);
loads.push(loadavg()[0]!.toFixed(1));

// The live subscription, with writers making contacts on four connections.
const graphql = graphqlClient(service.url, apiKey);
const delays: number[] = [];
const controller = new AbortController();
const subscription = await fetch(`${service.url}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${apiKey}` },
  body: JSON.stringify({ query: 'subscription { events(types: [CONTACT_CREATED]) { id createdAt } }' }),
  signal: controller.signal,
});
if (!subscription.ok || !subscription.body) throw new Error(`subscription answered ${subscription.status}`);
const reading = (async () => {
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    const reader = subscription.body!.getReader();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      const arrivedAt = Date.now();
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message.split('\n').find((line) => line.startsWith('data:'));
        if (!data) continue;
        const event = (JSON.parse(data.slice(5)) as { data?: { events: { createdAt: string } } }).data?.events;
        if (event) delays.push(arrivedAt - Date.parse(event.createdAt));
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
})();
await new Promise((resolve) => setTimeout(resolve, 500)); // the subscription reads the feed's tail first
let written = 0;
const stopAt = Date.now() + SECONDS * 1000;
await Promise.all(
  Array.from({ length: WRITERS }, async (_, writer) => {
    for (let n = 0; Date.now() < stopAt; n++) {
      await graphql('mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }', {
        input: { email: `live-${writer}-${n}@bench.example` },
      });
      written++;
      await new Promise((resolve) => setTimeout(resolve, WRITER_PAUSE_MS));
    }
  }),
);
for (let waited = 0; delays.length < written && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
controller.abort();
await reading;
loads.push(loadavg()[0]!.toFixed(1));
await service.stop();
receiver.close();
if (delays.length !== written) throw new Error(`the subscriber received ${delays.length} of ${written} events`);

const sorted = delays.sort((a, b) => a - b);
console.log(`\n${cpus().length} cores; 1-min load average at start, after the deliveries, after the subscription: ${loads.join(', ')}\n`);
console.log('| measurement | figure |');
console.log('|---|---|');
console.log(
  `| webhook deliveries of a ${EVENTS.toLocaleString('en')}-event backlog, one instance | ${Math.round(perSecond).toLocaleString('en')} /s (${deliverySeconds.toFixed(1)} s) |`,
);
console.log(
  `| subscriber delay, ${written} events from ${WRITERS} writers over ${SECONDS} s: p50 / p95 / max | ${percentile(sorted, 0.5)} / ${percentile(sorted, 0.95)} / ${sorted.at(-1)} ms |`,
);
