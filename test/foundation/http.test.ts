import { Agent, get, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';

describe.each(DATABASE_KINDS)('HTTP on %s', (kind) => {
  const service = useService(kind);

  async function post(body: unknown, apiKey?: string): Promise<Response> {
    return fetch(`${service().url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify(body),
    });
  }

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${service().url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${service().url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('runs a batch of up to 10 operations in one POST, and refuses 11', async () => {
    const { apiKey } = await service().account();
    const ten = await post(
      Array.from({ length: 10 }, () => ({ query: '{ __typename }' })),
      apiKey,
    );
    expect(ten.status).toBe(200);
    expect(await ten.json()).toEqual(Array.from({ length: 10 }, () => ({ data: { __typename: 'Query' } })));

    // One error result per operation (error-codes.test.ts has the details).
    const eleven = await post(
      Array.from({ length: 11 }, () => ({ query: '{ __typename }' })),
      apiKey,
    );
    expect(await eleven.json()).toHaveLength(11);
  });

  it('refuses a batch without a key as a whole', async () => {
    const response = await post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(response.status).toBe(401);
  });

  it('answers GET /graphql queries, but not mutations', async () => {
    const { apiKey } = await service().account();
    const query = await fetch(`${service().url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
    const mutation = await fetch(`${service().url}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(mutation.status).toBe(405);
  });

  it('keeps an idle connection open for 65 s, longer than a load balancer keeps its own', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const healthz = () =>
      new Promise<{ response: IncomingMessage; reused: boolean }>((resolve, reject) => {
        const request = get(`${service().url}/healthz`, { agent }, (response) => {
          response.resume();
          response.on('end', () => resolve({ response, reused: request.reusedSocket }));
        });
        request.on('error', reject);
      });
    try {
      const first = await healthz();
      expect(first.response.headers['keep-alive']).toBe('timeout=65');
      await sleep(6000); // past Node's default of 5 s
      expect((await healthz()).reused).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('answers 404 for an unknown path', async () => {
    expect((await fetch(`${service().url}/nothing-here`)).status).toBe(404);
  });
});
