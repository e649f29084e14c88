// One attempt's HTTP POST (node:http / node:https, no client library): to the address that was
// checked (a lookup that answers only it, on a connection of its own), within a deadline that
// runs from the start of the connection, no redirect followed, the answer read up to 64 KB and
// its first 1 KB kept.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './address.js';
import { MAX_ANSWER_BYTES, RECORDED_ANSWER_BYTES } from './settings.js';

export interface PostResult {
  /** A 2xx answer arrived in time. */
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** The first 1 KB of the answer, as text. */
  responseBody: string | null;
}

/** A lookup that answers the checked address whatever it is asked, so the connection goes there. */
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
}

/** Text that PostgreSQL can store: NUL characters become U+FFFD, as an invalid sequence does. */
function recorded(bytes: Buffer): string {
  return bytes.subarray(0, RECORDED_ANSWER_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD');
}

export function post(
  url: string,
  target: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const parsed = new URL(url);
  const transport = parsed.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    let statusCode: number | null = null;
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      const status = statusCode ?? 0;
      const ok = statusCode !== null && status >= 200 && status < 300;
      const refusal = status >= 300 && status < 400 ? `answered ${status}, a redirect (redirects are not followed)` : `answered ${status}`;
      resolve({
        ok,
        statusCode,
        error: ok ? null : (error ?? refusal),
        responseBody: statusCode === null ? null : recorded(Buffer.concat(chunks)),
      });
    };
    const request = transport.request(
      parsed,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'contacts-service-webhooks', ...headers },
        lookup: pinnedLookup(target),
        agent: false,
      },
      (response) => {
        statusCode = response.statusCode ?? null;
        response.on('data', (chunk: Buffer) => {
          if (received < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - received));
          received += chunk.length;
          if (received >= MAX_ANSWER_BYTES) finish(null);
        });
        response.on('end', () => finish(null));
        response.on('error', () => finish(null));
      },
    );
    // A 2xx whose body is still coming when time runs out was an answer in time: success.
    const timer = setTimeout(() => finish(statusCode === null ? `no answer within ${timeoutMs / 1000} s` : null), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish(statusCode === null ? `${error.code ?? 'error'}: ${error.message}` : null),
    );
    request.end(body);
  });
}
