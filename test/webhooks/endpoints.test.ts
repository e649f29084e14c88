// Webhook endpoints on both surfaces and both databases (EVENTS.md, Webhooks and REST routes):
// the secret shown once, the address refusals at creation, the deliveries page, redelivery,
// and isolation: another account's endpoint answers exactly what a never-existing one does.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';
import { ISO, restOf } from '../rest/helpers.js';
import { insertEvents } from './helpers.js';

/** A public address that needs no DNS; no test here makes an event due, so nothing is sent to it. */
const PUBLIC_URL = 'http://93.184.215.14/hooks/contacts';
const NEVER = 'whk_zzzzzzzzzzzzzzzzzzzz';

const ENDPOINT_FIELDS = 'id url description eventTypes enabled disabledReason createdAt updatedAt';

describe.each(DATABASE_KINDS)('webhook endpoints on %s', (kind) => {
  const service = useService(kind, {
    webhooks: { allowPrivateNetworks: false, retryScheduleMs: [1000], pollMs: 3_600_000, concurrency: 16 },
  });

  async function gqlCreate(account: TestAccount, input: Record<string, unknown>) {
    return account.gql(
      `mutation ($input: CreateWebhookEndpointInput!) {
        createWebhookEndpoint(input: $input) { secret webhookEndpoint { ${ENDPOINT_FIELDS} } userErrors { field message code } }
      }`,
      { input },
    );
  }

  it('GraphQL: creates (the secret once), reads, lists, updates, rotates, deletes', async () => {
    const account = await service().account();
    const created = await gqlCreate(account, {
      url: PUBLIC_URL,
      description: 'CRM',
      eventTypes: ['CONTACT_CREATED', 'SEGMENT_CONTACTS_ADDED'],
    });
    const { secret, webhookEndpoint, userErrors } = created.data.createWebhookEndpoint;
    expect(userErrors).toEqual([]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(webhookEndpoint).toEqual({
      id: expect.stringMatching(/^whk_[a-z0-9]{20}$/),
      url: PUBLIC_URL,
      description: 'CRM',
      eventTypes: ['CONTACT_CREATED', 'SEGMENT_CONTACTS_ADDED'],
      enabled: true,
      disabledReason: null,
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });
    const { id } = webhookEndpoint;
    const read = await account.gql(
      `query ($id: ID!) { webhookEndpoint(id: $id) { id url } node(id: $id) { ... on WebhookEndpoint { id } }
        webhookEndpoints(first: 10) { totalCount edges { node { id } } } }`,
      { id },
    );
    expect(read.data).toEqual({
      webhookEndpoint: { id, url: PUBLIC_URL },
      node: { id },
      webhookEndpoints: { totalCount: 1, edges: [{ node: { id } }] },
    });

    const updated = await account.gql(
      `mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { webhookEndpoint { ${ENDPOINT_FIELDS} } userErrors { code field } } }`,
      { input: { id, enabled: false, eventTypes: [] } },
    );
    expect(updated.data.updateWebhookEndpoint).toMatchObject({
      userErrors: [],
      webhookEndpoint: { enabled: false, eventTypes: [], description: 'CRM' },
    });

    const rotated = await account.gql(
      `mutation ($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret webhookEndpoint { id } userErrors { code } } }`,
      { id },
    );
    expect(rotated.data.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotated.data.rotateWebhookSecret.secret).not.toBe(secret);

    const deleted = await account.gql(
      `mutation ($id: ID!) { deleteWebhookEndpoint(input: { id: $id }) { deletedWebhookEndpointId userErrors { code } } }`,
      {
        id,
      },
    );
    expect(deleted.data.deleteWebhookEndpoint).toEqual({ deletedWebhookEndpointId: id, userErrors: [] });
    expect((await account.gql(`query ($id: ID!) { webhookEndpoint(id: $id) { id } }`, { id })).data.webhookEndpoint).toBeNull();
  });

  it.each([
    ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is a loopback address/],
    ['http://localhost/hook', /loopback/],
    ['http://10.0.0.7/hook', /private/],
    ['http://100.64.1.1/hook', /carrier-grade NAT/],
    ['http://169.254.169.254/latest/meta-data', /cloud metadata/],
    ['http://[fd00:ec2::254]/', /cloud metadata/],
    ['http://[::1]/hook', /loopback/],
    ['http://[::ffff:127.0.0.1]/hook', /loopback/],
    ['http://[fe80::1]/hook', /link-local/],
    ['http://[fc00::1]/hook', /unique-local/],
    ['http://0.0.0.0/hook', /unspecified/],
  ])('refuses %s as INVALID at creation, on both surfaces, naming the setting', async (url, reason) => {
    const account = await service().account();
    const answer = await gqlCreate(account, { url });
    expect(answer.data.createWebhookEndpoint.webhookEndpoint).toBeNull();
    expect(answer.data.createWebhookEndpoint.userErrors).toEqual([
      { field: ['input', 'url'], code: 'INVALID', message: expect.stringMatching(reason) },
    ]);
    expect(answer.data.createWebhookEndpoint.userErrors[0].message).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS=true');
    const rest = await restOf(service(), account)('POST', '/webhooks', { body: { url } });
    expect(rest.status).toBe(422);
    expect(rest.body.errors).toEqual([
      { code: 'INVALID', field: ['url'], message: answer.data.createWebhookEndpoint.userErrors[0].message },
    ]);
    const patched = await restOf(service(), account)('POST', '/webhooks', { body: { url: PUBLIC_URL } });
    const change = await restOf(service(), account)('PATCH', `/webhooks/${patched.body.webhook.id}`, { body: { url } });
    expect(change.status).toBe(422);
    expect((await restOf(service(), account)('GET', `/webhooks/${patched.body.webhook.id}`)).body.url).toBe(PUBLIC_URL);
  });

  it('refuses other schemes and unknown event types, every error listed', async () => {
    const account = await service().account();
    const rest = await restOf(service(), account)('POST', '/webhooks', {
      body: { url: 'ftp://example.com/x', event_types: ['contact.created', 'contact.exploded'] },
    });
    expect(rest.status).toBe(422);
    expect(rest.body.errors).toEqual([
      { code: 'INVALID', field: ['url'], message: 'url must be http or https (got ftp)' },
      { code: 'INVALID', field: ['event_types', 1], message: 'contact.exploded is not an event type' },
    ]);
  });

  it('REST: the routes of EVENTS.md, with the deliveries page and redelivery', async () => {
    const account = await service().account();
    const call = restOf(service(), account);
    const created = await call('POST', '/webhooks', { body: { url: PUBLIC_URL, event_types: ['contact.created'], description: 'CRM' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      webhook: {
        id: expect.stringMatching(/^whk_/),
        url: PUBLIC_URL,
        description: 'CRM',
        event_types: ['contact.created'],
        enabled: true,
        disabled_reason: null,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
      },
      secret: expect.stringMatching(/^whsec_/),
    });
    const { id } = created.body.webhook;
    expect((await call('GET', '/webhooks')).body).toEqual({ webhooks: [created.body.webhook] });
    expect((await call('GET', `/webhooks/${id}`)).body).toEqual(created.body.webhook);
    expect(JSON.stringify((await call('GET', `/webhooks/${id}`)).body)).not.toContain('whsec_');

    const ids = await insertEvents(service().service.db, account.accountId, 3);
    const first = await call('GET', `/webhooks/${id}/deliveries?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.deliveries).toHaveLength(2);
    expect(first.body.deliveries[0]).toMatchObject({
      id: expect.stringMatching(/^whd_/),
      status: 'pending',
      attempts: 0,
      last_status_code: null,
      event: { type: 'contact.created', source: 'rest' },
    });
    const second = await call('GET', `/webhooks/${id}/deliveries?limit=2&after=${first.body.next_cursor}`);
    expect(second.body).toMatchObject({ next_cursor: null });
    const seen = [...first.body.deliveries, ...second.body.deliveries].map((delivery: { event_id: string }) => delivery.event_id);
    expect(seen.sort()).toEqual([...ids].sort());
    expect((await call('GET', `/webhooks/${id}/deliveries?status=failed`)).body).toEqual({ deliveries: [], next_cursor: null });
    expect((await call('GET', `/webhooks/${id}/deliveries?limit=0`)).status).toBe(400);
    expect((await call('GET', `/webhooks/${id}/deliveries?after=nonsense`)).status).toBe(400);

    const gql = await account.gql(
      `query ($id: ID!) { webhookEndpoint(id: $id) { deliveries(first: 5, status: PENDING) { totalCount edges { node { id status attempts event { id type source payload } } } } } }`,
      { id },
    );
    const nodes = gql.data.webhookEndpoint.deliveries.edges.map((edge: { node: unknown }) => edge.node);
    expect(gql.data.webhookEndpoint.deliveries.totalCount).toBe(3);
    expect(nodes[0]).toMatchObject({ status: 'PENDING', attempts: 0, event: { type: 'CONTACT_CREATED', source: 'REST' } });
    expect(nodes[0].event.payload).toMatchObject({ id: nodes[0].event.id, type: 'contact.created', api_key_prefix: 'sk_live_abcd1234' });

    const redelivered = await call('POST', `/webhooks/${id}/redeliver`, { body: { since: '2000-01-01T00:00:00.000Z' } });
    expect(redelivered.body).toEqual({ queued: 3 });
    expect(
      (await call('POST', `/webhooks/${id}/redeliver`, { body: { since: '2000-01-01T00:00:00.000Z', only_failed: true } })).body,
    ).toEqual({ queued: 0 });
    expect((await call('POST', `/webhooks/${id}/redeliver`, { body: { since: 'yesterday' } })).status).toBe(422);
    const viaGql = await account.gql(
      `mutation ($id: ID!) { redeliverWebhookEvents(input: { endpointId: $id, since: "2000-01-01T00:00:00.000Z", onlyFailed: true }) { queued userErrors { code } } }`,
      { id },
    );
    expect(viaGql.data.redeliverWebhookEvents).toEqual({ queued: 0, userErrors: [] });

    const patched = await call('PATCH', `/webhooks/${id}`, { body: { enabled: false, description: null } });
    expect(patched.body).toMatchObject({ enabled: false, description: null, event_types: ['contact.created'] });
    expect((await call('PATCH', `/webhooks/${id}`, { body: { colour: 'red' } })).status).toBe(422);
    const rotated = await call('POST', `/webhooks/${id}/rotate-secret`);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect((await call('DELETE', `/webhooks/${id}`)).body).toEqual({ id, deleted: true });
    expect((await call('GET', `/webhooks/${id}`)).status).toBe(404);
  });

  it("answers another account's endpoint exactly as one that never existed", async () => {
    const owner = await service().account();
    const stranger = await service().account();
    const { id } = (await restOf(service(), owner)('POST', '/webhooks', { body: { url: PUBLIC_URL } })).body.webhook;
    const call = restOf(service(), stranger);
    const routes: [string, string, unknown?][] = [
      ['GET', ''],
      ['PATCH', '', { enabled: false }],
      ['DELETE', ''],
      ['POST', '/rotate-secret'],
      ['GET', '/deliveries'],
      ['POST', '/redeliver', { since: '2000-01-01T00:00:00.000Z' }],
    ];
    for (const [method, tail, body] of routes) {
      const theirs = await call(method, `/webhooks/${id}${tail}`, body === undefined ? {} : { body });
      const never = await call(method, `/webhooks/${NEVER}${tail}`, body === undefined ? {} : { body });
      expect(theirs.status, `${method} ${tail}`).toBe(404);
      expect(theirs.text.replace(id, NEVER)).toBe(never.text);
    }
    expect((await call('GET', '/webhooks')).body).toEqual({ webhooks: [] });

    const gql = async (account: TestAccount, target: string) => {
      const answer = await account.gql(
        `query ($id: ID!) { webhookEndpoint(id: $id) { id } node(id: $id) { id } }
        `,
        { id: target },
      );
      const mutations = await account.gql(
        `mutation ($id: ID!) {
          u: updateWebhookEndpoint(input: { id: $id, enabled: false }) { webhookEndpoint { id } userErrors { field message code } }
          r: rotateWebhookSecret(input: { id: $id }) { secret userErrors { field message code } }
          d: redeliverWebhookEvents(input: { endpointId: $id, since: "2000-01-01T00:00:00.000Z" }) { queued userErrors { field message code } }
          x: deleteWebhookEndpoint(input: { id: $id }) { deletedWebhookEndpointId userErrors { field message code } }
        }`,
        { id: target },
      );
      return { answer, mutations };
    };
    expect(await gql(stranger, id)).toEqual(await gql(stranger, NEVER));
    expect((await gql(stranger, id)).mutations.data.u.userErrors).toEqual([
      { field: ['input', 'id'], code: 'NOT_FOUND', message: 'there is no webhook endpoint with this id' },
    ]);
    // Still the owner's, unchanged.
    expect((await restOf(service(), owner)('GET', `/webhooks/${id}`)).body).toMatchObject({ id, enabled: true });
  });
});
