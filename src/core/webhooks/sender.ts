// One attempt's HTTP POST (node:http / node:https, no client library): to the address that was
// checked (through an agent whose lookup answers only that address, so its kept-alive
// connections all lead there), within a deadline that runs from the start of the attempt, no
// redirect followed, the answer read up to 64 KB and its first 1 KB kept.
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

/** Connections idle this long are closed: under the 5 s after which Node's own servers close them. */
const IDLE_SOCKET_MS = 4000;
/** Agents kept at once (one per checked address and scheme); the least recently used is closed beyond this. */
const MAX_AGENTS = 256;

/** One worker's kept-alive connections, an agent per checked address (its lookup answers only that address). */
export class Connections {
  private agents = new Map<string, http.Agent>();

  agentFor(protocol: string, target: ResolvedAddress): http.Agent {
    const key = `${protocol}//${target.address}`;
    let agent = this.agents.get(key);
    if (agent)
      this.agents.delete(key); // set again below, last: the Map's order is the recency
    else {
      const options = { keepAlive: true, timeout: IDLE_SOCKET_MS, lookup: pinnedLookup(target) };
      agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
      const oldest = this.agents.keys().next();
      if (this.agents.size >= MAX_AGENTS && !oldest.done) {
        this.agents.get(oldest.value)!.destroy();
        this.agents.delete(oldest.value);
      }
    }
    this.agents.set(key, agent);
    return agent;
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** Text that PostgreSQL can store: NUL characters become U+FFFD, as an invalid sequence does. */
function recorded(bytes: Buffer): string {
  return bytes.subarray(0, RECORDED_ANSWER_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD');
}

export async function post(
  url: string,
  target: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  connections: Connections,
): Promise<PostResult> {
  const deadline = Date.now() + timeoutMs;
  const first = await postOnce(url, target, headers, body, timeoutMs, connections);
  // A kept-alive connection the receiver closed just as it was reused fails before any answer:
  // the request never reached it, so it is sent once more, on a new connection.
  if (!first.staleConnection) return first.result;
  return (await postOnce(url, target, headers, body, Math.max(1, deadline - Date.now()), connections)).result;
}

function postOnce(
  url: string,
  target: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  connections: Connections,
): Promise<{ result: PostResult; staleConnection: boolean }> {
  const parsed = new URL(url);
  const transport = parsed.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    let statusCode: number | null = null;
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (error: string | null, options: { keepConnection?: boolean; staleConnection?: boolean } = {}) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // An answer read to its end leaves the connection for the next attempt; anything else closes it.
      if (!options.keepConnection) request.destroy();
      const status = statusCode ?? 0;
      const ok = statusCode !== null && status >= 200 && status < 300;
      const refusal = status >= 300 && status < 400 ? `answered ${status}, a redirect (redirects are not followed)` : `answered ${status}`;
      resolve({
        staleConnection: options.staleConnection ?? false,
        result: {
          ok,
          statusCode,
          error: ok ? null : (error ?? refusal),
          responseBody: statusCode === null ? null : recorded(Buffer.concat(chunks)),
        },
      });
    };
    const request = transport.request(
      parsed,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'contacts-service-webhooks', ...headers },
        agent: connections.agentFor(parsed.protocol, target),
      },
      (response) => {
        statusCode = response.statusCode ?? null;
        response.on('data', (chunk: Buffer) => {
          if (received < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - received));
          received += chunk.length;
          if (received >= MAX_ANSWER_BYTES) finish(null);
        });
        response.on('end', () => finish(null, { keepConnection: true }));
        response.on('error', () => finish(null));
      },
    );
    // A 2xx whose body is still coming when time runs out was an answer in time: success.
    const timer = setTimeout(() => finish(statusCode === null ? `no answer within ${timeoutMs / 1000} s` : null), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish(statusCode === null ? `${error.code ?? 'error'}: ${error.message}` : null, {
        staleConnection: statusCode === null && request.reusedSocket && error.code === 'ECONNRESET',
      }),
    );
    request.end(body);
  });
}
