import type { IncomingMessage } from 'node:http';
import type { Database } from '../db/database.js';
import { requireCredentials } from './auth.js';
import type { RouteHandler } from './respond.js';
import type { createGraphqlHandler } from './yoga.js';

/**
 * /graphql: every request that can reach data is authenticated here, once, before Yoga parses
 * it, so that a missing key is a 401 for a single operation and a batch alike. The GraphiQL page
 * and CORS preflights hold no data and pass without a key.
 */
export function graphqlRoute(db: Database, yoga: ReturnType<typeof createGraphqlHandler>): RouteHandler {
  return async (req, res) => {
    if (req.method === 'OPTIONS' || isGraphiqlPage(req)) return void (await yoga(req, res, { req, res, credentials: null }));
    const credentials = await requireCredentials(db, req, res);
    if (credentials) await yoga(req, res, { req, res, credentials });
  };
}

function isGraphiqlPage(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
}
