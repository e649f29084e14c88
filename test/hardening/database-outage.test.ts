// The database goes away under a running service and comes back: /readyz tells, requests fail
// with a clear error meanwhile, and the service recovers without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Service } from '../../src/app.js';
import { createAccount } from '../../src/core/accounts/service.js';
import { graphql, testConfig } from '../support/service.js';
import { type ThrowawayPostgres, throwawayPostgres } from '../support/throwaway-postgres.js';

describe('a PostgreSQL outage', () => {
  let cluster: ThrowawayPostgres;
  let service: Service;
  let key: string;

  beforeAll(async () => {
    cluster = await throwawayPostgres();
    service = await startService(testConfig({ kind: 'postgres', url: cluster.url }));
    key = (await createAccount(service.db, 'Outage')).apiKey;
  });
  afterAll(async () => {
    await service?.stop();
    cluster?.destroy();
  });

  it('is reported by /readyz and answered with a clear 503 until the database is back', async () => {
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    expect((await graphql(service.url, '{ __typename }', {}, key)).status).toBe(200);

    cluster.stop();
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable' });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    const during = await graphql(service.url, '{ node(id: "ct_aaaaaaaaaaaaaaaaaaaa") { id } }', {}, key);
    expect(during.status).toBe(503);
    expect(during.errors?.[0]).toMatchObject({
      message: 'The database is unavailable; try again shortly.',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });

    cluster.start();
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const after = await graphql(service.url, '{ node(id: "ct_aaaaaaaaaaaaaaaaaaaa") { id } }', {}, key);
    expect(after).toEqual({ status: 200, data: { node: null } });
  });
});
