// A real receiver (node:http) for webhook tests, events inserted straight into `events` (one
// statement for any number of rows, as a bulk change makes them), and a hand-made check of the
// Standard Webhooks signature with node:crypto: an implementation independent of the sender's.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../src/db/database.js';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers each request; the default answers 204. */
  answer: (request: Received, res: ServerResponse) => void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    answer: (_request, res) => void res.writeHead(204).end(),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      receiver.received.push(request);
      receiver.answer(request, res);
    });
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

const randomId = () => `evt_${randomBytes(10).toString('hex')}`;

/** Inserts `count` events of the account in one statement; answers their ids in order. */
export async function insertEvents(
  db: Database,
  accountId: string,
  count: number,
  type = 'contact.created',
  data: (index: number) => unknown = (index) => ({ id: `ct_${String(index).padStart(20, '0')}`, email: `c${index}@example.com` }),
): Promise<string[]> {
  const ids = Array.from({ length: count }, randomId);
  const payloads = ids.map((_id, index) => JSON.stringify(data(index)));
  await db.prisma.$executeRawUnsafe(
    `INSERT INTO events (id, account_id, type, source, api_key_prefix, data)
     SELECT id, $2, $3, 'rest', 'sk_live_abcd1234', data::jsonb FROM unnest($1::text[], $4::text[]) WITH ORDINALITY AS t(id, data, n) ORDER BY n`,
    ids,
    accountId,
    type,
    payloads,
  );
  return ids;
}

/** The Standard Webhooks check, by hand: v1 HMAC-SHA256 of "id.timestamp.body" with the secret's bytes. */
export function signatureValid(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`)
    .digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .some((entry) => {
      const [version, signature] = entry.split(',');
      const given = Buffer.from(signature ?? '', 'base64');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

export async function waitFor<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
