// Every GraphQL error a client can meet carries a code from the one documented list, with the
// status the list gives; a refused request changes nothing.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../../src/http/error-codes.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestAccount, useService } from '../support/service.js';

describe('the list of error codes', () => {
  it('is in the README, each code with its meaning', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`| \`${code}\` |`);
  });
});

describe.each(DATABASE_KINDS)('error codes on %s', (kind) => {
  const service = useService(kind);

  async function post(account: TestAccount, body: string, contentType = 'application/json') {
    const response = await fetch(`${service().url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${account.apiKey}` },
      body,
    });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), text, json: JSON.parse(text) as unknown };
  }

  const codesIn = (json: unknown): unknown[] =>
    (Array.isArray(json) ? json : [json]).flatMap((result: { errors?: { extensions?: { code?: unknown } }[] }) =>
      (result.errors ?? []).map((e) => e.extensions?.code),
    );

  async function contactCount(account: TestAccount): Promise<number> {
    return (await account.gql('{ contacts(first: 1) { totalCount } }')).data.contacts.totalCount;
  }

  it('a variable of the wrong type is BAD_USER_INPUT (400), and the mutation does not run', async () => {
    const account = await service().account();
    const wrongType = await post(
      account,
      JSON.stringify({ query: 'query ($f: Int) { contacts(first: $f) { totalCount } }', variables: { f: 'ten' } }),
    );
    expect(wrongType.status).toBe(400);
    expect(codesIn(wrongType.json)).toEqual(['BAD_USER_INPUT']);

    const mutation = 'mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }';
    const badInput = await post(
      account,
      JSON.stringify({ query: mutation, variables: { input: { email: 'ada@example.com', unsubscribed: 'yes' } } }),
    );
    expect(badInput.status).toBe(400);
    expect(codesIn(badInput.json)).toEqual(['BAD_USER_INPUT']);
    const missing = await post(account, JSON.stringify({ query: mutation }));
    expect(codesIn(missing.json)).toEqual(['BAD_USER_INPUT']);
    expect(await contactCount(account)).toBe(0);
  });

  it('a batch of 11 is answered with 11 LIMIT_EXCEEDED results, one per operation, and runs none', async () => {
    const account = await service().account();
    const create = (i: number) => ({ query: `mutation { createContact(input: { email: "b${i}@example.com" }) { contact { id } } }` });
    const answer = await post(account, JSON.stringify(Array.from({ length: 11 }, (_, i) => create(i))));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual(
      Array.from({ length: 11 }, () => ({
        errors: [{ message: 'Batching is limited to 10 operations per request.', extensions: { code: 'LIMIT_EXCEEDED' } }],
      })),
    );
    expect(await contactCount(account)).toBe(0);

    // Even operations that are not objects keep their place.
    const odd = await post(account, JSON.stringify([1, 'two', ...Array.from({ length: 10 }, () => ({ query: '{ __typename }' }))]));
    expect(codesIn(odd.json)).toEqual(Array.from({ length: 12 }, () => 'LIMIT_EXCEEDED'));
  });

  it('a text/plain body is UNSUPPORTED_MEDIA_TYPE (415) with a JSON body', async () => {
    const account = await service().account();
    const answer = await post(account, 'mutation { createContact(input: { email: "t@example.com" }) { contact { id } } }', 'text/plain');
    expect(answer.status).toBe(415);
    expect(answer.type).toMatch(/^application\/json/);
    expect(codesIn(answer.json)).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
    expect(await contactCount(account)).toBe(0);
  });

  it('a malformed JSON body is BAD_REQUEST (400) and echoes nothing of the body', async () => {
    const account = await service().account();
    const answer = await post(account, '{"query": "{ __typename }", "secret-part-of-the-body": oops');
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    expect(answer.text).not.toMatch(/secret|SyntaxError|originalError/);
  });

  it('every other refusal carries a code from the list too', async () => {
    const account = await service().account();
    const cases: [string, number, string][] = [
      [JSON.stringify({ query: '{ contacts(' }), 200, 'GRAPHQL_PARSE_FAILED'],
      [JSON.stringify({ query: '{ nope }' }), 200, 'GRAPHQL_VALIDATION_FAILED'],
      [JSON.stringify({ query: 'query A { __typename } query B { __typename }' }), 400, 'OPERATION_RESOLUTION_FAILURE'],
      [JSON.stringify({}), 200, 'BAD_REQUEST'],
      [JSON.stringify({ query: '{ __typename }', variables: 3 }), 400, 'BAD_REQUEST'],
      ['3', 400, 'BAD_REQUEST'],
      [JSON.stringify({ query: '{ contacts(first: 1000) { totalCount } }' }), 200, 'BAD_USER_INPUT'],
    ];
    for (const [body, status, code] of cases) {
      expect(isErrorCode(code)).toBe(true);
      const answer = await post(account, body);
      expect({ body, status: answer.status, codes: codesIn(answer.json) }).toEqual({ body, status, codes: [code] });
    }
    const unauthenticated = await fetch(`${service().url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(codesIn(await unauthenticated.json())).toEqual(['UNAUTHENTICATED']);
    const put = await fetch(`${service().url}/graphql`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${account.apiKey}` },
      body: '{}',
    });
    expect(put.status).toBe(405);
    expect(codesIn(await put.json())).toEqual(['BAD_REQUEST']);
  });
});
