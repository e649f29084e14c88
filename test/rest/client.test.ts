// REST.md, The typed client: client/src against the real server on both databases, with the
// calls users write today; and client/src/openapi.ts is what openapi.json gives today. Webhook
// endpoints point at a real receiver on 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE_NETWORKS=true), which the
// service's own worker delivers to.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Contact, ContactsApiError, ContactsClient, type Webhook, type WebhookWithSecret } from '../../client/src/index.js';
import { loadConfig } from '../../src/config.js';
import { CLIENT_TYPES_PATH, clientTypes } from '../../scripts/client-types.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';
import { insertEvents, type Receiver, signatureValid, startReceiver, waitFor } from '../webhooks/helpers.js';
import { ISO } from './helpers.js';

/** The receiver on 127.0.0.1 allowed, read as the service reads it; the worker looks every 100 ms. */
const WEBHOOKS = { ...loadConfig({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }).webhooks, pollMs: 100 };

/** The error a call throws. */
async function refusal(call: Promise<unknown>): Promise<ContactsApiError> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ContactsApiError);
  return error as ContactsApiError;
}

describe('client/src/openapi.ts', () => {
  it('is what `npm run client:types` writes from openapi.json today', async () => {
    expect(readFileSync(CLIENT_TYPES_PATH, 'utf8')).toBe(await clientTypes());
  });
});

describe.each(DATABASE_KINDS)('the typed client on %s', (kind) => {
  const service = useService(kind, { webhooks: WEBHOOKS });
  let account: TestAccount;
  let client: ContactsClient;
  let receiver: Receiver;
  beforeAll(async () => {
    account = await service().account();
    client = new ContactsClient(account.apiKey, { baseUrl: `${service().url}/` });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('creates, reads by id and email, updates, unsubscribes and deletes a contact', async () => {
    const alice: Contact = await client.contacts.create({ email: 'alice@example.com', first_name: 'Alice', properties: { plan: 'pro' } });
    expect(alice).toEqual({
      id: expect.stringMatching(/^ct_/),
      email: 'alice@example.com',
      first_name: 'Alice',
      last_name: null,
      properties: { plan: 'pro' },
      unsubscribed: false,
      unsubscribed_at: null,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    expect(await client.contacts.get(alice.id)).toEqual(alice);
    expect(await client.contacts.get('ALICE@example.com')).toEqual(alice);
    // GraphQL reads the same contact.
    const read = await account.gql('query ($id: ID!) { contact(id: $id) { email firstName properties } }', { id: alice.id });
    expect(read.data.contact).toEqual({ email: 'alice@example.com', firstName: 'Alice', properties: { plan: 'pro' } });

    const updated = await client.contacts.update(alice.id, { properties: { plan: 'enterprise' } });
    expect(updated.properties).toEqual({ plan: 'enterprise' });
    const unsubscribed = await client.contacts.unsubscribe('alice@example.com');
    expect(unsubscribed).toEqual({
      id: alice.id,
      email: 'alice@example.com',
      unsubscribed: true,
      unsubscribed_at: expect.stringMatching(ISO),
    });
    expect((await client.contacts.resubscribe(alice.id)).unsubscribed).toBe(false);
    expect(await client.contacts.segments(alice.id)).toEqual({ segments: [] });
    expect(await client.contacts.delete(alice.id)).toEqual({ id: alice.id, deleted: true });
    const gone = await refusal(client.contacts.get(alice.id));
    expect(gone.status).toBe(404);
    expect(gone.errors).toEqual([{ code: 'NOT_FOUND', message: `there is no contact ${alice.id} in this account` }]);
  });

  it('lists with pagination and filters', async () => {
    const own = await service().account();
    const c = new ContactsClient(own.apiKey, { baseUrl: service().url });
    for (const email of ['l1@example.com', 'l2@example.com', 'l3@example.com']) await c.contacts.create({ email });
    const { contacts: page, pagination } = await c.contacts.list({ page: 1, per_page: 2 });
    expect(page.map((contact) => contact.email)).toEqual(['l3@example.com', 'l2@example.com']);
    expect(pagination).toEqual({ total: 3, page: 1, per_page: 2, total_pages: 2 });
    expect((await c.contacts.list({ page: 2, per_page: 2 })).contacts.map((contact) => contact.email)).toEqual(['l1@example.com']);
    expect((await c.contacts.list({ search: 'L2' })).pagination.total).toBe(1);
    expect((await c.contacts.list()).pagination).toEqual({ total: 3, page: 1, per_page: 20, total_pages: 1 });
  });

  it('creates segments, changes their members and lists them', async () => {
    const own = await service().account();
    const c = new ContactsClient(own.apiKey, { baseUrl: service().url });
    const pro = await c.contacts.create({ email: 'pro@example.com', properties: { plan: 'enterprise' } });
    const free = await c.contacts.create({ email: 'free@example.com' });
    const dynamic = await c.segments.create({
      name: 'Enterprise Users',
      type: 'dynamic',
      rules: [{ field: 'properties.plan', operator: 'equals', value: 'enterprise' }],
    });
    expect(dynamic).toMatchObject({ type: 'dynamic', match: 'all', contact_count: 1 });
    const vip = await c.segments.create({ name: 'VIP', type: 'static' });
    expect((await c.segments.addContacts(vip.id, [pro.id, free.id])).contact_count).toBe(2);
    expect((await c.segments.removeContacts(vip.id, [pro.id])).contact_count).toBe(1);
    expect((await c.segments.contacts(vip.id)).contacts.map((contact) => contact.id)).toEqual([free.id]);
    expect((await c.contacts.list({ segment_id: dynamic.id })).contacts.map((contact) => contact.id)).toEqual([pro.id]);
    expect((await c.contacts.segments(pro.id)).segments.map((s) => s.id)).toEqual([dynamic.id]);
    expect((await c.segments.update(vip.id, { name: 'Very important' })).name).toBe('Very important');
    expect(await c.segments.get(vip.id)).toMatchObject({ id: vip.id, name: 'Very important', contact_count: 1 });
    const listed = await c.segments.list({ include: 'contact_count' });
    expect(listed.segments.map((s) => [s.name, s.contact_count])).toEqual(
      expect.arrayContaining([
        ['Enterprise Users', 1],
        ['Very important', 1],
      ]),
    );
    expect(listed.pagination.total).toBe(2);
    expect(await c.segments.delete(vip.id)).toEqual({ id: vip.id, deleted: true });
    expect((await c.contacts.get(free.id)).id).toBe(free.id);
    // All or nothing: an unknown id among them changes nothing.
    const refused = await refusal(c.segments.addContacts(dynamic.id, [pro.id]));
    expect(refused.status).toBe(422);
  });

  it('imports a file, reads its job and exports', async () => {
    const own = await service().account();
    const c = new ContactsClient(own.apiKey, { baseUrl: service().url });
    const vip = await c.segments.create({ name: 'Imported', type: 'static' });
    const csvBuffer = Buffer.from('email,first_name,plan\nann@example.com,Ann,pro\nbad,Bob,free\n');
    const result = await c.contacts.import({ file: csvBuffer, filename: 'contacts.csv', segment_id: vip.id });
    expect(result).toEqual({ imported: 1, updated: 0, errors: 1, job_id: expect.stringMatching(/^imp_/) });
    const job = await c.contacts.importJob(result.job_id);
    expect(job).toMatchObject({ id: result.job_id, status: 'completed', filename: 'contacts.csv', imported: 1, errors: 1 });
    expect(job.row_errors).toEqual([{ line: 3, email: 'bad', message: expect.any(String) }]);
    expect((await c.contacts.import({ file: 'email\nann@example.com\n' })).updated).toBe(1);

    const csv = await c.contacts.export({ segment_id: vip.id });
    expect(csv.split('\n')[0]).toBe('id,email,first_name,last_name,unsubscribed,created_at,updated_at,plan');
    expect(csv).toContain('ann@example.com');
    const streamed = await new Response(await c.contacts.exportStream()).text();
    expect(streamed).toContain('ann@example.com');

    // The upload's own refusal comes back as the same error.
    const missing = await refusal(c.contacts.import({ file: 'email\nx@example.com\n', segment_id: 'seg_zzzzzzzzzzzzzzzzzzzz' }));
    expect(missing.status).toBe(404);
    expect(missing.errors[0]!.code).toBe('NOT_FOUND');
  });

  it('pages the events feed', async () => {
    const own = await service().account();
    const c = new ContactsClient(own.apiKey, { baseUrl: service().url });
    const created = await c.contacts.create({ email: 'evented@example.com' });
    let page = await c.events.list({ limit: 10 });
    for (let wait = 0; page.events.length === 0 && wait < 100; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // held back behind another running transaction
      page = await c.events.list({ limit: 10 });
    }
    expect(page.events.map((event) => [event.type, (event.data as { id: string }).id])).toEqual([['contact.created', created.id]]);
    expect(await c.events.list({ after: page.next_cursor, types: 'contact.deleted' })).toEqual({
      events: [],
      next_cursor: expect.any(String),
    });
  });

  it('registers, reads, lists, updates, rotates and deletes a webhook, and pages and redelivers its deliveries', async () => {
    const own = await service().account();
    const c = new ContactsClient(own.apiKey, { baseUrl: service().url });
    const url = `${receiver.url}/client-${kind}`;
    const hits = () => receiver.received.filter((request) => request.path === `/client-${kind}`);
    const created: WebhookWithSecret = await c.webhooks.create({ url, event_types: ['contact.created'], description: 'CRM' });
    const webhook: Webhook = created.webhook;
    expect(created).toEqual({
      webhook: {
        id: expect.stringMatching(/^whk_/),
        url,
        description: 'CRM',
        event_types: ['contact.created'],
        enabled: true,
        disabled_reason: null,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
      },
      secret: expect.stringMatching(/^whsec_/),
    });
    expect(await c.webhooks.list()).toEqual({ webhooks: [webhook] });
    expect(await c.webhooks.get(webhook.id)).toEqual(webhook);
    // GraphQL reads the same endpoint.
    const read = await own.gql('query ($id: ID!) { webhookEndpoint(id: $id) { url description eventTypes } }', { id: webhook.id });
    expect(read.data.webhookEndpoint).toEqual({ url, description: 'CRM', eventTypes: ['CONTACT_CREATED'] });

    // Two events are inserted as a change writes them, and one of a type the endpoint does not
    // want; the service's worker delivers them.
    const db = service().service.db;
    const events = await insertEvents(db, own.accountId, 2);
    await insertEvents(db, own.accountId, 1, 'contact.updated');
    const delivered = await waitFor(
      () => c.webhooks.deliveries(webhook.id, { status: 'succeeded' }),
      (page) => page.deliveries.length === 2,
    );
    expect(delivered.next_cursor).toBeNull();
    expect(delivered.deliveries.map((delivery) => delivery.event_id).sort()).toEqual([...events].sort());
    expect(delivered.deliveries[0]).toMatchObject({
      id: expect.stringMatching(/^whd_/),
      event_type: 'contact.created',
      status: 'succeeded',
      attempts: 1,
      last_status_code: 204,
      event: { type: 'contact.created', source: 'rest', api_key_prefix: 'sk_live_abcd1234' },
    });
    expect(hits()).toHaveLength(2);
    for (const hit of hits()) expect(signatureValid(created.secret, hit.headers, hit.body)).toBe(true);
    const first = await c.webhooks.deliveries(webhook.id, { limit: 1 });
    expect(first.deliveries.map((delivery) => delivery.id)).toEqual([delivered.deliveries[0]!.id]);
    const second = await c.webhooks.deliveries(webhook.id, { limit: 1, after: first.next_cursor! });
    expect(second).toEqual({ deliveries: [expect.objectContaining({ id: delivered.deliveries[1]!.id })], next_cursor: null });
    expect(await c.webhooks.deliveries(webhook.id, { status: 'failed' })).toEqual({ deliveries: [], next_cursor: null });

    // A new secret signs the redeliveries.
    const rotated = await c.webhooks.rotateSecret(webhook.id);
    expect(rotated).toEqual({ webhook: expect.objectContaining({ id: webhook.id }), secret: expect.stringMatching(/^whsec_/) });
    expect(rotated.secret).not.toBe(created.secret);
    expect(await c.webhooks.redeliver(webhook.id, { since: '2000-01-01T00:00:00.000Z', only_failed: true })).toEqual({ queued: 0 });
    expect(await c.webhooks.redeliver(webhook.id, { since: '2000-01-01T00:00:00.000Z' })).toEqual({ queued: 2 });
    await waitFor(hits, (requests) => requests.length === 4);
    for (const hit of hits().slice(2)) expect(signatureValid(rotated.secret, hit.headers, hit.body)).toBe(true);

    const updated = await c.webhooks.update(webhook.id, { enabled: false, description: null });
    expect(updated).toMatchObject({ id: webhook.id, url, enabled: false, description: null, event_types: ['contact.created'] });
    expect(await c.webhooks.get(webhook.id)).toEqual(updated);
    const invalid = await refusal(c.webhooks.create({ url: 'ftp://example.com/x', event_types: ['contact.exploded'] }));
    expect(invalid.status).toBe(422);
    expect(invalid.errors.map((error) => error.field)).toEqual([['url'], ['event_types', 0]]);
    expect(await c.webhooks.delete(webhook.id)).toEqual({ id: webhook.id, deleted: true });
    const gone = await refusal(c.webhooks.deliveries(webhook.id));
    expect(gone.status).toBe(404);
    expect(gone.errors[0]!.code).toBe('NOT_FOUND');
    expect(await c.webhooks.list()).toEqual({ webhooks: [] });
    // Another account's client sees nothing of it.
    expect((await refusal(client.webhooks.get(webhook.id))).status).toBe(404);
  });

  it('throws ContactsApiError with the status and every error listed', async () => {
    await client.contacts.create({ email: 'taken@example.com' });
    const taken = await refusal(client.contacts.create({ email: 'taken@example.com' }));
    expect(taken.status).toBe(409);
    expect(taken.errors[0]).toMatchObject({ code: 'TAKEN', field: ['email'] });
    expect(taken.message).toMatch(/^409: TAKEN/);
    const invalid = await refusal(client.contacts.create({ email: 'not an email', first_name: 'x'.repeat(10_000) }));
    expect(invalid.status).toBe(422);
    expect(invalid.errors.length).toBeGreaterThanOrEqual(1);
    const bad = await refusal(client.contacts.list({ per_page: 1000 }));
    expect(bad.status).toBe(400);
    expect(bad.errors[0]).toMatchObject({ code: 'BAD_REQUEST', field: ['query', 'per_page'] });
    const stranger = new ContactsClient('sk_live_nope', { baseUrl: service().url });
    const unauthenticated = await refusal(stranger.contacts.list());
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.errors[0]!.code).toBe('UNAUTHENTICATED');
  });

  it('types the calls from openapi.json', () => {
    const typed = () => {
      // @ts-expect-error an unknown field is no part of the body
      void client.contacts.create({ email: 'a@example.com', firstName: 'A' });
      // @ts-expect-error email is required
      void client.contacts.create({ first_name: 'A' });
      // @ts-expect-error a segment's type is static or dynamic
      void client.segments.create({ name: 'x', type: 'smart' });
      // @ts-expect-error a webhook needs its url
      void client.webhooks.create({ event_types: ['contact.created'] });
      // @ts-expect-error an unknown field is no part of the body
      void client.webhooks.update('whk_x', { eventTypes: [] });
      // @ts-expect-error a delivery's status is pending, succeeded or failed
      void client.webhooks.deliveries('whk_x', { status: 'lost' });
    };
    expect(typed).toBeTypeOf('function');
  });
});
