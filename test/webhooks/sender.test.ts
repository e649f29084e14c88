// One attempt's POST against real sockets: the connection goes to the address that was checked
// whatever the name would resolve to now (no second lookup to rebind), the deadline holds
// against a receiver that never answers, and a long answer is cut at 64 KB with 1 KB kept.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../../src/core/webhooks/sender.js';

describe('a webhook attempt', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; path?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ host: req.headers.host, path: req.url });
      req.resume();
      if (req.url === '/silent') return; // never answers
      if (req.url === '/endless') {
        res.writeHead(200);
        const chunk = Buffer.alloc(16 * 1024, 'a');
        const pump = () => {
          while (res.write(chunk));
          res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        return pump();
      }
      res.writeHead(200).end('fine');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects to the checked address, never looking the name up again', async () => {
    const result = await post(`http://rebound.invalid:${port}/pinned`, { address: '127.0.0.1', family: 4 }, {}, '{}', 5000);
    expect(result).toEqual({ ok: true, statusCode: 200, error: null, responseBody: 'fine' });
    expect(seen.at(-1)).toEqual({ host: `rebound.invalid:${port}`, path: '/pinned' });
  });

  it('gives up at the deadline when no answer comes', async () => {
    const started = Date.now();
    const result = await post(`http://127.0.0.1:${port}/silent`, { address: '127.0.0.1', family: 4 }, {}, '{}', 400);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toEqual({ ok: false, statusCode: null, error: 'no answer within 0.4 s', responseBody: null });
  });

  it('reads an answer up to 64 KB, then drops it, keeping the first 1 KB', async () => {
    const result = await post(`http://127.0.0.1:${port}/endless`, { address: '127.0.0.1', family: 4 }, {}, '{}', 5000);
    expect(result).toEqual({ ok: true, statusCode: 200, error: null, responseBody: 'a'.repeat(1024) });
  });

  it('fails a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await post(`http://127.0.0.1:${freePort}/`, { address: '127.0.0.1', family: 4 }, {}, '{}', 2000);
    expect(result).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/^ECONNREFUSED/) });
  });
});
