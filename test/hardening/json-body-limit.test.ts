// One JSON body limit (src/http/json-body-limit.ts) on both surfaces: a body over
// MAX_JSON_BODY_BYTES on /graphql and on a REST route answers the same 413, code and message,
// whether it declares its length or arrives chunked; the connection answered early closes; nothing
// is stored, and the service answers the next request.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';
import { accountSnapshot } from '../support/snapshot.js';

const LIMIT = 1024;
const MESSAGE = `the request body is too large: over ${LIMIT} bytes (MAX_JSON_BODY_BYTES); files go in a multipart upload`;

interface Answer {
  status: number;
  connection: string | undefined;
  body: any;
}

/** A POST of `body`, with its content-length or chunked (two chunks), on a connection of its own. */
function post(baseUrl: string, path: string, key: string, body: string, chunked: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': Buffer.byteLength(body) }),
      },
    });
    req.on('error', reject);
    req.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, connection: response.headers.connection, body: JSON.parse(text) }));
    });
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    req.end(body.slice(half));
  });
}

describe.each(DATABASE_KINDS)('the one JSON body limit on %s', (kind) => {
  const service = useService(kind, { maxJsonBodyBytes: LIMIT });

  it('answers 413 PAYLOAD_TOO_LARGE with the same message on /graphql and REST, declared or chunked, storing nothing', async () => {
    const account = await service().account();
    const before = await accountSnapshot(service().service.db.prisma, account.accountId);
    const pad = 'x'.repeat(4 * LIMIT);
    const graphqlBody = JSON.stringify({
      query: 'mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }',
      variables: { input: { email: 'big@example.com', firstName: pad } },
    });
    const restBody = JSON.stringify({ email: 'big@example.com', first_name: pad });

    for (const chunked of [false, true]) {
      const viaGraphql = await post(service().url, '/graphql', account.apiKey, graphqlBody, chunked);
      expect(viaGraphql, `graphql, chunked: ${chunked}`).toMatchObject({
        status: 413,
        connection: 'close',
        body: { errors: [{ message: MESSAGE, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
      });
      const viaRest = await post(service().url, '/contacts', account.apiKey, restBody, chunked);
      expect(viaRest, `rest, chunked: ${chunked}`).toEqual({
        status: 413,
        connection: 'close',
        body: { errors: [{ code: 'PAYLOAD_TOO_LARGE', message: MESSAGE }] },
      });
    }
    expect(await accountSnapshot(service().service.db.prisma, account.accountId)).toEqual(before);

    // A body within the limit still passes on both.
    const small = await post(service().url, '/contacts', account.apiKey, JSON.stringify({ email: 'small@example.com' }), true);
    expect(small.status).toBe(201);
    const created = await account.gql('mutation { createContact(input: { email: "small2@example.com" }) { contact { id } } }');
    expect(created.data.createContact.contact.id).toMatch(/^ct_/);
  });
});
