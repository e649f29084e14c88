// One attempt's POST against real sockets: the connection goes to the address that was checked
// whatever the name would resolve to now (no second lookup to rebind), the deadline holds
// against a receiver that never answers, and a long answer is cut at 64 KB with 1 KB kept.
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connections, post } from '../../src/core/webhooks/sender.js';

describe('a webhook attempt', () => {
  let server: Server;
  let port: number;
  const seen: { host?: string; path?: string }[] = [];
  const connections = new Connections();
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
    connections.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connects to the checked address, never looking the name up again', async () => {
    const result = await post(`http://rebound.invalid:${port}/pinned`, { address: '127.0.0.1', family: 4 }, {}, '{}', 5000, connections);
    expect(result).toEqual({ ok: true, statusCode: 200, error: null, responseBody: 'fine' });
    expect(seen.at(-1)).toEqual({ host: `rebound.invalid:${port}`, path: '/pinned' });
  });

  it('gives up at the deadline when no answer comes', async () => {
    const started = Date.now();
    const result = await post(`http://127.0.0.1:${port}/silent`, { address: '127.0.0.1', family: 4 }, {}, '{}', 400, connections);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toEqual({ ok: false, statusCode: null, error: 'no answer within 0.4 s', responseBody: null });
  });

  it('reads an answer up to 64 KB, then drops it, keeping the first 1 KB', async () => {
    const result = await post(`http://127.0.0.1:${port}/endless`, { address: '127.0.0.1', family: 4 }, {}, '{}', 5000, connections);
    expect(result).toEqual({ ok: true, statusCode: 200, error: null, responseBody: 'a'.repeat(1024) });
  });

  it('fails a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await post(`http://127.0.0.1:${freePort}/`, { address: '127.0.0.1', family: 4 }, {}, '{}', 2000, connections);
    expect(result).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/^ECONNREFUSED/) });
  });

  it('keeps the connection to a checked address alive for the next attempt', async () => {
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => sockets.add(socket));
    const fresh = new Connections();
    try {
      for (let n = 0; n < 3; n++) {
        expect(await post(`http://127.0.0.1:${port}/again`, { address: '127.0.0.1', family: 4 }, {}, '{}', 5000, fresh)).toMatchObject({
          ok: true,
        });
      }
      expect(sockets.size).toBe(1);
    } finally {
      fresh.close();
    }
  });

  it('sends an attempt again on a new connection when the kept-alive one was closed by the receiver before any answer', async () => {
    // A receiver that answers the first request of each connection, keeps it open, and resets it
    // when a second request comes on it (as one that closed an idle connection at that moment).
    let connectionsSeen = 0;
    const raw = createTcpServer((socket) => {
      connectionsSeen++;
      let requests = 0;
      socket.on('data', () => {
        if (++requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
        else socket.resetAndDestroy();
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const rawPort = (raw.address() as AddressInfo).port;
    const fresh = new Connections();
    try {
      const target = { address: '127.0.0.1', family: 4 as const };
      expect(await post(`http://127.0.0.1:${rawPort}/`, target, {}, '{}', 5000, fresh)).toMatchObject({
        ok: true,
        responseBody: 'ok',
      });
      expect(await post(`http://127.0.0.1:${rawPort}/`, target, {}, '{}', 5000, fresh)).toMatchObject({
        ok: true,
        responseBody: 'ok',
      });
      expect(connectionsSeen).toBe(2);
    } finally {
      fresh.close();
      await new Promise((resolve) => raw.close(resolve));
    }
  });
});
