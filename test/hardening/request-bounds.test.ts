// Issue 11, cases 1–4: no single request stalls or kills the service. Each request below once
// killed the process (heap out of memory), froze it for seconds, left its connection dead, or was
// answered 500; now each is one clear 4xx or coded error, the process still answers /healthz
// after it, and nothing stored changed. The service runs as its own process, so that a request
// that kills it fails the test instead of the runner.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { post, type ServiceProcess, startServiceProcess } from '../support/service-process.js';

const STORED =
  '{ contacts(first: 100) { edges { node { email firstName properties } } } segments(first: 100) { edges { node { name } } } importJobs(first: 100) { edges { node { id status } } } }';

/** One refusal: a single error with a code, and no data. */
function expectOneRefusal(answer: { status: number; body: any }, code: string) {
  expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBeLessThan(500);
  expect(answer.body.errors, JSON.stringify(answer.body).slice(0, 500)).toHaveLength(1);
  expect(answer.body.errors[0].extensions?.code, JSON.stringify(answer.body).slice(0, 500)).toBe(code);
}

describe.each(DATABASE_KINDS)('single requests that once stalled or killed the service (%s)', (kind) => {
  let service: ServiceProcess;
  let before: unknown;

  beforeAll(async () => {
    service = await startServiceProcess(kind);
    const created = await post(service.url, service.key, {
      query: 'mutation { createContact(input: { email: "kept@example.com", firstName: "Kept" }) { contact { id } } }',
    });
    expect(created.status).toBe(200);
    before = (await post(service.url, service.key, { query: STORED })).body;
  }, 60_000);
  afterAll(async () => {
    if (service) {
      // Whatever the cases sent, nothing stored changed.
      expect((await post(service.url, service.key, { query: STORED })).body).toEqual(before);
      await service.stop();
    }
  });

  const introspection = (count: number) =>
    `{ ${Array.from({ length: count }, (_, i) => `a${i}: __schema { types { name fields { name type { name } } } }`).join(' ')} }`;

  it('1. refuses 5,000 aliased introspections (320 KB) with one error, and lives', async () => {
    expectOneRefusal(await post(service.url, service.key, { query: introspection(5000) }), 'QUERY_TOO_COMPLEX');
    await service.expectAlive();
  });

  it('1. counts introspection in the cost: 90 aliased introspections are too costly, one is fine', async () => {
    const refused = await post(service.url, service.key, { query: introspection(90) });
    expectOneRefusal(refused, 'QUERY_TOO_COMPLEX');
    expect(refused.body.errors[0].extensions.limit).toBe('introspectionCost');
    const one = await post(service.url, service.key, { query: introspection(1) });
    expect(one.status).toBe(200);
    expect(one.body.data.a0.types.length).toBeGreaterThan(10);
    // Introspection nested past the nesting limit is refused too.
    const nested = `{ __schema { types { ${'fields { type { '.repeat(12)}name${' } }'.repeat(12)} } } }`;
    expectOneRefusal(await post(service.url, service.key, { query: nested }), 'QUERY_TOO_COMPLEX');
    await service.expectAlive();
  });

  it('2. refuses 20,000 aliases of contact(email:) (1 MB) with one error, not 20,000', async () => {
    const query = `{ ${Array.from({ length: 20_000 }, (_, i) => `c${i}: contact(email: "kept@example.com") { id }`).join(' ')} }`;
    expectOneRefusal(await post(service.url, service.key, { query }), 'QUERY_TOO_COMPLEX');
    await service.expectAlive();
    // Under the token limit but over the alias limit: one error too.
    const aliased = `{ ${Array.from({ length: 150 }, (_, i) => `c${i}: __typename`).join(' ')} }`;
    const refused = await post(service.url, service.key, { query: aliased });
    expectOneRefusal(refused, 'QUERY_TOO_COMPLEX');
    expect(refused.body.errors[0].extensions.limit).toBe('aliases');
  });

  it('3. closes a keep-alive connection it answered 413 before reading the chunked body, so none is left dead', async () => {
    const url = new URL(service.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk) => (received += String(chunk)));
    const closed = new Promise((resolve) => {
      socket.on('close', resolve);
      socket.on('error', resolve);
    });
    const chunk = `{"query":"{ __typename }","pad":"${'x'.repeat(64 * 1024)}"}`;
    const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${service.key}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    socket.write(head);
    for (let i = 0; i < 20; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`); // 1.3 MB, over the 1 MB limit
    socket.write('0\r\n\r\n');
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    // Ends either way: the second request answered, or the connection closed after the first.
    await Promise.race([closed, new Promise<void>((resolve) => socket.on('data', () => received.includes('"status":"ok"') && resolve()))]);
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(received.includes('"status":"ok"') || /\r\nconnection: close\r\n/i.test(received)).toBe(true);
    await service.expectAlive();
  });

  it('4. answers inline fragments nested 5,000 deep with one coded error', async () => {
    const query = `{ ${'... on Query { '.repeat(5000)}__typename${' }'.repeat(5000)} }`;
    expectOneRefusal(await post(service.url, service.key, { query }), 'QUERY_TOO_COMPLEX');
    const deep = `{ ${'... on Query { '.repeat(30)}__typename${' }'.repeat(30)} }`;
    expectOneRefusal(await post(service.url, service.key, { query: deep }), 'QUERY_TOO_COMPLEX');
    await service.expectAlive();
  });

  it('4. answers POST /contacts/import with multipart/form-data and no boundary 400', async () => {
    const response = await fetch(`${service.url}/contacts/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.key}`, 'content-type': 'multipart/form-data' },
      body: 'email\na@example.com\n',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ code: 'BAD_REQUEST', message: expect.stringMatching(/boundary/i) }] });
    await service.expectAlive();
  });

  it('4. answers GET /graphql with variables that are not JSON 400 BAD_REQUEST', async () => {
    const response = await fetch(
      `${service.url}/graphql?query=${encodeURIComponent('{ __typename }')}&variables=${encodeURIComponent('{')}`,
      {
        headers: { authorization: `Bearer ${service.key}`, accept: 'application/json' },
      },
    );
    expect(response.status).toBe(400);
    expectOneRefusal({ status: response.status, body: await response.json() }, 'BAD_REQUEST');
    await service.expectAlive();
  });

  it.each([
    ['importJob(id:)', 'query ($v: ID!) { importJob(id: $v) { id } }', 'imp_\u0000'],
    ['segments(search:)', 'query ($v: String) { segments(first: 5, search: $v) { edges { node { id } } } }', 'a\u0000b'],
    ['contact(email:)', 'query ($v: String) { contact(email: $v) { id } }', 'a\u0000@example.com'],
  ])('4. answers a NUL character in %s with a coded error, not "Unexpected error."', async (_name, query, value) => {
    const answer = await post(service.url, service.key, { query, variables: { v: value } });
    expect(answer.status).toBeLessThan(500);
    const errors = answer.body.errors ?? [];
    for (const error of errors) {
      expect(error.message).not.toBe('Unexpected error.');
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
    }
    await service.expectAlive();
  });

  it('4. answers a GraphQL upload whose map names a file the request lacks with an INVALID userError', async () => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: 'mutation ($f: Upload!) { importContacts(input: { file: $f }) { job { id } userErrors { code field message } } }',
        variables: { f: null },
      }),
    );
    form.append('map', JSON.stringify({ 1: ['variables.f'] }));
    form.append('2', new Blob(['email\na@example.com\n']), 'a.csv');
    const response = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.key}` },
      body: form,
    });
    expect(response.status).toBeLessThan(500);
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data.importContacts).toMatchObject({ job: null, userErrors: [{ code: 'INVALID', field: ['input', 'file'] }] });
    await service.expectAlive();
  });
});
