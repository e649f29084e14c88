import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { log } from '../log.js';
import { isDatabaseUnavailable, isUnstorableText } from '../db/errors.js';
import { docsRoutes } from './docs.js';
import { graphqlRoute } from './graphql-route.js';
import { graphiqlAssetRoutes } from './graphiql-assets.js';
import { healthRoutes } from './health.js';
import type { ImportRuntime } from '../core/imports/import-runtime.js';
import { restRoutes } from './rest/index.js';
import { restRouter } from './rest/router.js';
import { openApiDocument } from './rest/openapi.js';
import { type RouteHandler, sendJson } from './respond.js';
import type { LiveEvents } from '../core/events/service.js';
import { createGraphqlHandler, DATABASE_UNAVAILABLE, UNSTORABLE_TEXT } from './yoga.js';

export interface HttpService {
  server: Server;
  url: string;
  /** Stops taking requests and resolves when those in flight have finished. */
  close(): Promise<void>;
}

/**
 * How long an idle connection stays open: longer than a load balancer's own idle timeout (60 s on
 * most), so that the balancer, not this server, closes a pooled connection; otherwise a request
 * it sends just as the server closes the connection fails (a 502 to the client).
 */
const KEEP_ALIVE_MS = 65_000;

export async function startHttpServer(db: Database, config: Config, imports: ImportRuntime, liveEvents: LiveEvents): Promise<HttpService> {
  const graphql = createGraphqlHandler(db, config, imports, liveEvents);
  const routes: Record<string, RouteHandler> = {
    ...healthRoutes(db),
    ...graphiqlAssetRoutes(),
    ...docsRoutes(),
    '/graphql': graphqlRoute(db, graphql),
  };
  // Every other path is the REST API's, which answers an unknown one with its JSON 404.
  const restRouteList = restRoutes(config, imports);
  const rest = restRouter(restRouteList, db, config);
  const openApi = JSON.stringify(openApiDocument(restRouteList));
  // No key needed: the description of the API is public.
  routes['/openapi.json'] = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(openApi);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes[url.pathname];
    Promise.resolve((route ?? rest)(req, res, url)).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (isDatabaseUnavailable(error)) return sendJson(res, 503, { errors: [DATABASE_UNAVAILABLE] }, { 'Retry-After': '5' });
      if (isUnstorableText(error)) return sendJson(res, 400, { error: UNSTORABLE_TEXT, code: 'INVALID' });
      log.error('unexpected error', { error, path: url.pathname });
      sendJson(res, 500, { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 15 * 60_000;
  server.keepAliveTimeout = KEEP_ALIVE_MS;

  await listen(server, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

  return {
    server,
    url,
    close: () => drain(server, config.drainMs),
  };
}

export class ListenError extends Error {}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = `${host}:${port}`;
      if (error.code === 'EADDRINUSE')
        reject(new ListenError(`port ${port} on ${host} is already in use; stop what uses it or set PORT to another port`));
      else if (error.code === 'EACCES') reject(new ListenError(`no permission to listen on ${where}; choose a PORT above 1023`));
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new ListenError(`HOST ${host} is no address of this machine; set HOST to one (127.0.0.1 or 0.0.0.0)`));
      else reject(new ListenError(`cannot listen on ${where}: ${error.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** In-flight requests may take drainMs (SHUTDOWN_DRAIN_MS) to finish once the server is told to stop. */
function drain(server: Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), drainMs);
    // A keep-alive connection whose request finishes while draining turns idle: close it then,
    // rather than waiting for the client to hang up.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}
