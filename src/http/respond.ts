import type { IncomingMessage, ServerResponse } from 'node:http';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  // Answered before the request's body was read (a 401, 413 or 415): close the connection rather
  // than leave the rest of the body to be read as the next request of a keep-alive connection.
  const early = res.req.complete ? {} : { connection: 'close' };
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...early, ...headers });
  res.end(text);
}
