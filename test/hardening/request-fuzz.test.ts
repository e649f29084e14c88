// Issue 11: a bounded fuzz of GraphQL documents and request bodies against the service as its own
// process. Whatever arrives (documents built of repeated, nested and aliased pieces up to past
// every limit, bodies of any bytes under any content type), the answer is never a 5xx, the
// process lives and answers /healthz, and nothing stored changes. Seeded (FUZZ_SEED) and scaled
// by FUZZ_RUNS, as fuzz.test.ts is.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { post, type ServiceProcess, startServiceProcess } from '../support/service-process.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const options = (numRuns: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(numRuns * RUNS)) });

const STORED =
  '{ contacts(first: 100) { edges { node { email firstName properties } } } importJobs(first: 100) { edges { node { id status } } } }';

/** Pieces of GraphQL text, valid and not, that the limits and parsers meet. */
const PIECES = [
  '{',
  '}',
  '(',
  ')',
  ':',
  '...',
  'on Query',
  '__typename',
  '__schema',
  '__type(name: "Contact")',
  'types',
  'fields',
  'name',
  'type',
  'ofType',
  'contact(email: "kept@example.com")',
  'id',
  'a:',
  'b:',
  'contacts(first: 100)',
  'edges',
  'node',
  'email',
  '"\u0000"',
  '$v',
  '@include(if: true)',
  '#',
  'fragment F on Query',
  '...F',
  'query',
  'mutation',
  'deleteContacts(ids: [])',
  '"""',
  '\\u0000',
];

const document = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 200 }).map((pieces) => pieces.join(' ')),
  // One piece repeated past the limits: aliases, nesting, tokens.
  fc
    .tuple(
      fc.constantFrom(
        'a{i}: __schema { types { name } } ',
        '... on Query { ',
        'c{i}: contact(email: "x") { id } ',
        '{ ',
        'x{i}: __typename ',
      ),
      fc.integer({ min: 1, max: 6000 }),
    )
    .map(([piece, count]) => `{ ${Array.from({ length: count }, (_, i) => piece.replace('{i}', String(i))).join('')}__typename }`),
  fc.string({ maxLength: 300 }),
);

const body = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  path: fc.constantFrom('/graphql', '/contacts/import', '/contacts/export', '/graphql?query=%7B__typename%7D&variables=%7B'),
  contentType: fc.constantFrom(
    'application/json',
    'text/plain',
    'multipart/form-data',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/graphql-response+json',
    '',
  ),
  data: fc.oneof(
    fc.uint8Array({ maxLength: 2000 }),
    fc.json().map((text) => new TextEncoder().encode(text)),
    fc.constant(
      new TextEncoder().encode('--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{__typename}"}\r\n--x--\r\n'),
    ),
  ),
});

describe.each(DATABASE_KINDS)('fuzzed requests against a service process (%s)', (kind) => {
  let service: ServiceProcess;
  let before: unknown;

  beforeAll(async () => {
    service = await startServiceProcess(kind);
    await post(service.url, service.key, {
      query: 'mutation { createContact(input: { email: "kept@example.com", firstName: "Kept" }) { contact { id } } }',
    });
    before = (await post(service.url, service.key, { query: STORED })).body;
  }, 60_000);
  afterAll(async () => {
    if (!service) return;
    await service.expectAlive();
    expect((await post(service.url, service.key, { query: STORED })).body).toEqual(before);
    await service.stop();
  });

  it('answers any document with no 5xx, and lives', async () => {
    await fc.assert(
      fc.asyncProperty(
        document,
        fc.option(fc.dictionary(fc.constantFrom('v', 'w'), fc.oneof(fc.string(), fc.constant('\u0000')))),
        async (query, variables) => {
          const answer = await post(service.url, service.key, { query, variables });
          expect(answer.status, `${JSON.stringify(answer.body).slice(0, 300)} for ${query.slice(0, 200)}`).toBeLessThan(500);
          expect(JSON.stringify(answer.body)).not.toContain('Unexpected error.');
        },
      ),
      options(60),
    );
    await service.expectAlive();
  }, 120_000);

  it('answers any body under any content type with no 5xx, and lives', async () => {
    await fc.assert(
      fc.asyncProperty(body, async ({ method, path, contentType, data }) => {
        const response = await fetch(`${service.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${service.key}`, ...(contentType ? { 'content-type': contentType } : {}) },
          body: method === 'GET' ? undefined : data,
        });
        const text = await response.text();
        expect(response.status, `${method} ${path} ${contentType}: ${text.slice(0, 300)}`).toBeLessThan(500);
      }),
      options(60),
    );
    await service.expectAlive();
  }, 120_000);
});
