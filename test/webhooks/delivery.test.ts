// The delivery side of webhooks (EVENTS.md, Webhooks) on both databases, against a real receiver:
// the fan-out trigger, Standard Webhooks signatures checked by hand, retries on a short schedule,
// no redirect followed, the address check at each attempt, two workers never making the same
// attempt, a restart that delivers what was left, rotation, redelivery, the 5-day disable.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { claimDue } from '../../src/core/webhooks/repository/attempts.js';
import { createEndpoint, deliveryPage, redeliver, rotateSecret, updateEndpoint, WebhookWorker } from '../../src/core/webhooks/service.js';
import type { WebhookSettings } from '../../src/core/webhooks/settings.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startTestService, type TestService, testConfig } from '../support/service.js';
import { insertEvents, type Receiver, signatureValid, sleep, startReceiver, waitFor } from './helpers.js';

/**
 * A short schedule, read as the service reads it, and the receiver on 127.0.0.1 allowed; no
 * poller of its own in the way: the tests make the rounds (deliverDue) themselves.
 */
const MANUAL: WebhookSettings = {
  ...loadConfig({ WEBHOOK_RETRY_SCHEDULE: '300ms,600ms', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).webhooks,
  pollMs: 3_600_000,
};

describe.each(DATABASE_KINDS)('webhook deliveries on %s', (kind) => {
  let service: TestService & { scratch: { config: unknown } };
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    service = await startTestService(kind, { webhooks: MANUAL });
  });
  afterAll(async () => {
    await service?.stop();
    await receiver?.close();
  });

  const db = () => service.service.db;
  const worker = (settings: Partial<WebhookSettings> = {}) => new WebhookWorker(db(), { ...MANUAL, concurrency: 16, ...settings });
  async function endpoint(accountId: string, path: string, eventTypes: string[] = []) {
    const made = await createEndpoint(db(), accountId, { url: `${receiver.url}${path}`, eventTypes }, true);
    if (!made.ok) throw new Error(JSON.stringify(made.errors));
    return made.value;
  }
  const deliveries = (endpointId: string) => db().prisma.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: 'asc' } });
  const hits = (path: string) => receiver.received.filter((request) => request.path === path);
  /** Rounds until nothing is due any more (the retries' delays included). */
  async function deliverAll(w = worker(), endpointId?: string) {
    await waitFor(
      async () => {
        await w.deliverDue();
        return db().prisma.webhookDelivery.count({ where: { status: 'PENDING', ...(endpointId && { endpointId }) } });
      },
      (pending) => pending === 0,
      60_000,
    );
  }

  it('delivers the events real changes write, each body exactly as the feed shows it, signed', async () => {
    const account = await service.account();
    const hook = await endpoint(account.accountId, '/changes');
    const created = await account.gql('mutation { createContact(input: { email: "real@example.com" }) { contact { id } } }');
    const id = created.data.createContact.contact.id as string;
    await account.gql('mutation ($id: ID!) { updateContact(input: { id: $id, firstName: "Real" }) { contact { id } } }', { id });
    await deliverAll(worker(), hook.endpoint.id);

    // The feed shows an event once no older transaction runs anywhere on the server: it may lag.
    const feed = await waitFor(
      () => account.gql('{ events(first: 10) { edges { node { payload } } } }'),
      (answer) => answer.data.events.edges.length === 2,
    );
    const payloads = feed.data.events.edges.map((edge: { node: { payload: unknown } }) => edge.node.payload);
    expect(payloads.map((body: { type: string }) => body.type)).toEqual(['contact.created', 'contact.updated']);
    const got = hits('/changes');
    expect(got.map((request) => JSON.parse(request.body) as unknown)).toEqual(payloads);
    for (const request of got) expect(signatureValid(hook.secret, request.headers, request.body)).toBe(true);
    expect(payloads[1]).toMatchObject({ source: 'graphql', data: { id, first_name: 'Real' }, previous: { first_name: null } });
  });

  it('keeps its slots full as attempts end, not at its next poll, and records the successes in batches', async () => {
    const { accountId } = await service.account();
    const hook = await endpoint(accountId, '/steady');
    const ids = await insertEvents(db(), accountId, 200);
    // The receiver answers what it holds every 50 ms, so answers come several at once (as from a
    // busy receiver) whatever the machine's load.
    const held: ServerResponse[] = [];
    receiver.answer = (_request, res) => void held.push(res);
    const release = setInterval(() => held.splice(0).forEach((res) => res.writeHead(204).end()), 50);
    const statements: string[] = [];
    const stop = db().onStatement((sql) => statements.push(sql));
    // Its poll is an hour away: past the first 8, every attempt is started by a slot coming free.
    const running = worker({ concurrency: 8 });
    running.start();
    try {
      await waitFor(
        () => db().prisma.webhookDelivery.count({ where: { endpointId: hook.endpoint.id, status: 'SUCCEEDED' } }),
        (succeeded) => succeeded === 200,
        60_000,
      );
    } finally {
      await running.stop();
      stop();
      clearInterval(release);
      receiver.answer = (_request, res) => void res.writeHead(204).end();
    }
    expect(new Set(hits('/steady').map((request) => request.headers['webhook-id']))).toEqual(new Set(ids));
    // On PostgreSQL, answers that come while a recording is on its way are written together by
    // the next: about two statements for each 50 ms, against one for each delivery. (PGlite runs
    // in the process: a recording ends before the next answer is read.)
    const recordings = statements.filter((sql) => /SET status = 'SUCCEEDED'/.test(sql));
    if (kind === 'postgres') expect(recordings.length).toBeLessThan(100);
    else expect(recordings.length).toBeLessThanOrEqual(200);
  });

  it('fans a 1000-event statement out in the database and posts each event, signed, to the endpoints that want it', async () => {
    const { accountId } = await service.account();
    const other = await service.account();
    const all = await endpoint(accountId, '/all');
    const updatesOnly = await endpoint(accountId, '/updates', ['contact.updated']);
    const disabled = await endpoint(accountId, '/disabled');
    await updateEndpoint(db(), accountId, disabled.endpoint.id, { enabled: false }, true);
    const foreign = await endpoint(other.accountId, '/foreign');

    const statements: string[] = [];
    const stop = db().onStatement((sql) => statements.push(sql));
    const ids = await insertEvents(db(), accountId, 1000);
    stop();
    expect(statements.filter((sql) => /webhook_deliveries/.test(sql))).toEqual([]); // made by the trigger, inside that statement
    expect((await deliveries(all.endpoint.id)).length).toBe(1000);
    expect((await deliveries(updatesOnly.endpoint.id)).length).toBe(0);
    expect((await deliveries(disabled.endpoint.id)).length).toBe(0);
    expect((await deliveries(foreign.endpoint.id)).length).toBe(0);

    await deliverAll(worker({ concurrency: 100 }), all.endpoint.id);
    const got = hits('/all');
    expect(got.map((request) => request.headers['webhook-id']).sort()).toEqual([...ids].sort());
    const first = got.find((request) => request.headers['webhook-id'] === ids[0])!;
    expect(first.headers['content-type']).toBe('application/json');
    expect(signatureValid(all.secret, first.headers, first.body)).toBe(true);
    expect(signatureValid(all.secret, first.headers, first.body.replace('c0@', 'x0@'))).toBe(false);
    expect(Math.abs(Number(first.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(JSON.parse(first.body)).toEqual({
      id: ids[0],
      type: 'contact.created',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      source: 'rest',
      api_key_prefix: 'sk_live_abcd1234',
      import_job_id: null,
      data: { id: 'ct_00000000000000000000', email: 'c0@example.com' },
      previous: null,
    });
    const [row] = await deliveries(all.endpoint.id);
    expect(row).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastStatusCode: 204, nextAttemptAt: null, lastError: null });
    expect(hits('/updates')).toEqual([]);
    expect(hits('/disabled')).toEqual([]);
    expect(hits('/foreign')).toEqual([]);
  });

  it('retries on the schedule with the same webhook-id, then FAILED, recording the first 1 KB of the answer', async () => {
    const { accountId } = await service.account();
    const flaky = await endpoint(accountId, '/flaky');
    const broken = await endpoint(accountId, '/broken');
    let flakyCalls = 0;
    receiver.answer = (request, res) => {
      if (request.path === '/flaky') return void res.writeHead(++flakyCalls < 3 ? 500 : 200).end('ok');
      if (request.path === '/broken') return void res.writeHead(503, { 'content-type': 'text/plain' }).end('é'.repeat(2000) + '\u0000');
      res.writeHead(204).end();
    };
    try {
      const [eventId] = await insertEvents(db(), accountId, 1);
      await deliverAll(worker(), undefined);
      const flakyHits = hits('/flaky');
      expect(flakyHits.map((request) => request.headers['webhook-id'])).toEqual([eventId, eventId, eventId]);
      // 300 ms after the first attempt, then 600 ms after the second.
      expect(flakyHits[1]!.at - flakyHits[0]!.at).toBeGreaterThanOrEqual(250);
      expect(flakyHits[2]!.at - flakyHits[1]!.at).toBeGreaterThanOrEqual(550);
      expect((await deliveries(flaky.endpoint.id))[0]).toMatchObject({ status: 'SUCCEEDED', attempts: 3, lastStatusCode: 200 });

      expect(hits('/broken')).toHaveLength(3);
      const [failed] = await deliveries(broken.endpoint.id);
      expect(failed).toMatchObject({ status: 'FAILED', attempts: 3, lastStatusCode: 503, lastError: 'answered 503', nextAttemptAt: null });
      // 1024 bytes of two-byte characters: 512 of them.
      expect(failed!.lastResponseBody).toBe('é'.repeat(512));
    } finally {
      receiver.answer = (_request, res) => void res.writeHead(204).end();
    }
  });

  it('follows no redirect: a 3xx is a failed attempt, and its target is never called', async () => {
    const { accountId } = await service.account();
    const moved = await endpoint(accountId, '/moved');
    receiver.answer = (request, res) => {
      if (request.path === '/moved') return void res.writeHead(307, { location: `${receiver.url}/target` }).end();
      res.writeHead(204).end();
    };
    try {
      await insertEvents(db(), accountId, 1);
      await worker().deliverDue();
      expect(hits('/moved')).toHaveLength(1);
      expect(hits('/target')).toHaveLength(0);
      expect((await deliveries(moved.endpoint.id))[0]).toMatchObject({
        status: 'PENDING',
        attempts: 1,
        lastStatusCode: 307,
        lastError: expect.stringMatching(/redirect.*not followed/),
      });
    } finally {
      receiver.answer = (_request, res) => void res.writeHead(204).end();
    }
  });

  it('checks the address again at each attempt: refused without WEBHOOK_ALLOW_PRIVATE_NETWORKS, a failed attempt', async () => {
    const { accountId } = await service.account();
    const local = await endpoint(accountId, '/local');
    await insertEvents(db(), accountId, 1);
    await worker({ allowPrivateNetworks: false }).deliverDue();
    expect(hits('/local')).toHaveLength(0);
    expect((await deliveries(local.endpoint.id))[0]).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      lastStatusCode: null,
      lastError: expect.stringMatching(/127\.0\.0\.1 is a loopback address.*WEBHOOK_ALLOW_PRIVATE_NETWORKS=true/),
    });
  });

  it('never makes the same attempt twice with two workers (two instances on PostgreSQL) claiming at once', async () => {
    const { accountId } = await service.account();
    const shared = await endpoint(accountId, '/shared');
    const ids = await insertEvents(db(), accountId, 300);
    const second = kind === 'postgres' ? await openDatabase(testConfig(service.scratch.config as never).database) : null;
    try {
      const workers = [worker(), new WebhookWorker(second ?? db(), MANUAL)];
      await Promise.all(workers.map((w) => deliverAll(w, shared.endpoint.id)));
    } finally {
      await second?.close();
    }
    const sent = hits('/shared').map((request) => String(request.headers['webhook-id']));
    expect(sent.length).toBe(300);
    expect(new Set(sent).size).toBe(300);
    expect(sent.sort()).toEqual([...ids].sort());
  });

  it('signs with a rotated secret from the next attempt on; redelivery sends again with the same webhook-id', async () => {
    const { accountId } = await service.account();
    const made = await endpoint(accountId, '/rotated');
    const [eventId] = await insertEvents(db(), accountId, 1);
    await deliverAll(worker(), made.endpoint.id);
    const rotated = await rotateSecret(db(), accountId, made.endpoint.id);
    if (!rotated.ok) throw new Error('rotation refused');
    expect(rotated.value.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(rotated.value.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

    const since = new Date(Date.now() - 60_000);
    expect(await redeliver(db(), accountId, { endpointId: made.endpoint.id, since, onlyFailed: true })).toEqual({ ok: true, value: 0 });
    expect(await redeliver(db(), accountId, { endpointId: made.endpoint.id, since: new Date(Date.now() + 60_000) })).toEqual({
      ok: true,
      value: 0,
    });
    expect(await redeliver(db(), accountId, { endpointId: made.endpoint.id, since })).toEqual({ ok: true, value: 1 });
    await deliverAll(worker(), made.endpoint.id);
    const [before, after] = hits('/rotated');
    expect(after!.headers['webhook-id']).toBe(eventId);
    expect(after!.body).toBe(before!.body);
    expect(signatureValid(made.secret, before!.headers, before!.body)).toBe(true);
    expect(signatureValid(rotated.value.secret, after!.headers, after!.body)).toBe(true);
    expect(signatureValid(made.secret, after!.headers, after!.body)).toBe(false);
    const page = await deliveryPage(db(), made.endpoint.id, null, { limit: 10 });
    expect(page).toMatchObject([{ status: 'SUCCEEDED', attempts: 1, event: { id: eventId } }]);
  });

  it('disables an endpoint whose attempts have all failed for 5 days, with a reason; its later events are never delivered', async () => {
    const { accountId } = await service.account();
    const dead = await endpoint(accountId, '/dead');
    receiver.answer = (request, res) => void res.writeHead(request.path === '/dead' ? 500 : 204).end();
    try {
      await insertEvents(db(), accountId, 1);
      await worker().deliverDue();
      let row = await db().prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: dead.endpoint.id } });
      expect(row).toMatchObject({ enabled: true, disabledReason: null });
      expect(row.failingSince).not.toBeNull();
      await db().prisma.webhookEndpoint.update({
        where: { id: dead.endpoint.id },
        data: { failingSince: new Date(Date.now() - 6 * 86_400_000) },
      });
      await sleep(350);
      await worker().deliverDue();
      row = await db().prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: dead.endpoint.id } });
      expect(row.enabled).toBe(false);
      expect(row.disabledReason).toMatch(/every delivery attempt failed for 5 days/);
      await insertEvents(db(), accountId, 2);
      expect(await deliveries(dead.endpoint.id)).toHaveLength(1);
      // Enabled again: the reason goes, and new events are delivered.
      await updateEndpoint(db(), accountId, dead.endpoint.id, { enabled: true }, true);
      expect(await db().prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: dead.endpoint.id } })).toMatchObject({
        enabled: true,
        disabledReason: null,
        failingSince: null,
      });
    } finally {
      receiver.answer = (_request, res) => void res.writeHead(204).end();
    }
  });

  it('parks the pending deliveries of a disabled endpoint (no next attempt) and makes them due when it is enabled again', async () => {
    const { accountId } = await service.account();
    const paused = await endpoint(accountId, '/paused');
    await insertEvents(db(), accountId, 3);
    await updateEndpoint(db(), accountId, paused.endpoint.id, { enabled: false }, true);
    expect((await deliveries(paused.endpoint.id)).map((row) => row.nextAttemptAt)).toEqual([null, null, null]);
    expect(await redeliver(db(), accountId, { endpointId: paused.endpoint.id, since: new Date(0) })).toEqual({ ok: true, value: 3 });
    expect((await deliveries(paused.endpoint.id)).map((row) => row.nextAttemptAt)).toEqual([null, null, null]);
    await worker().deliverDue();
    expect(hits('/paused')).toHaveLength(0);
    await updateEndpoint(db(), accountId, paused.endpoint.id, { enabled: true }, true);
    expect((await deliveries(paused.endpoint.id)).every((row) => row.nextAttemptAt !== null)).toBe(true);
    await deliverAll(worker(), paused.endpoint.id);
    expect(hits('/paused')).toHaveLength(3);
  });
});

describe.each(DATABASE_KINDS)('a restart on %s', (kind) => {
  it('on stop (SIGTERM), lets an attempt in flight finish and record its outcome before the database closes', async () => {
    const receiver = await startReceiver();
    receiver.answer = (_request, res) => void setTimeout(() => res.writeHead(200).end('late'), 700);
    const running = await startTestService(kind, { webhooks: { ...MANUAL, pollMs: 50 } });
    let reopened: Awaited<ReturnType<typeof openDatabase>> | undefined;
    try {
      const { accountId } = await running.account();
      const made = await createEndpoint(running.service.db, accountId, { url: `${receiver.url}/slow` }, true);
      if (!made.ok) throw new Error('refused');
      await insertEvents(running.service.db, accountId, 1);
      await waitFor(
        () => receiver.received.length,
        (count) => count === 1,
      );
      await running.service.stop();
      reopened = await openDatabase(running.scratch.config);
      expect(await reopened.prisma.webhookDelivery.findFirst()).toMatchObject({
        status: 'SUCCEEDED',
        attempts: 1,
        lastResponseBody: 'late',
      });
    } finally {
      await reopened?.close();
      await running.scratch.drop();
      await receiver.close();
    }
  });

  it('delivers every delivery left undelivered, those claimed by an instance that died included', async () => {
    const receiver = await startReceiver();
    const first = await startTestService(kind, { webhooks: MANUAL });
    let second: Awaited<ReturnType<typeof startService>> | undefined;
    try {
      const { accountId } = await first.account();
      const made = await createEndpoint(first.service.db, accountId, { url: `${receiver.url}/after-restart` }, true);
      if (!made.ok) throw new Error('refused');
      const ids = await insertEvents(first.service.db, accountId, 50);
      // An instance that claimed ten and died before attempting them.
      expect(await claimDue(first.service.db.prisma, 10, 500, 'dead-instance')).toHaveLength(10);
      await first.service.stop();
      expect(receiver.received).toEqual([]);

      second = await startService(testConfig(first.scratch.config, { webhooks: { ...MANUAL, pollMs: 100 } }));
      const db = second.db;
      await waitFor(
        () => db.prisma.webhookDelivery.count({ where: { status: 'SUCCEEDED' } }),
        (count) => count === 50,
      );
      const sent = receiver.received.map((request) => String(request.headers['webhook-id']));
      expect(sent.sort()).toEqual([...ids].sort());
    } finally {
      await second?.stop();
      await first.scratch.drop();
      await receiver.close();
    }
  });
});
