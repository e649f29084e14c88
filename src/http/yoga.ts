import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { log } from '../log.js';
import type { Context } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { authenticate, unauthenticatedError } from './auth.js';
import { GRAPHIQL_DEFAULT_HEADERS, GRAPHIQL_DEFAULT_QUERY } from './graphiql.js';

export interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

export const MAX_BATCH = 10;

export function createGraphqlHandler(db: Database, config: Config) {
  // A batch of operations shares one request: authenticate it once.
  const accounts = new WeakMap<Request, Promise<string | null>>();

  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: { limit: MAX_BATCH },
    maxRequestBodySize: config.maxJsonBodyBytes,
    cors: config.corsOrigins ? { origin: config.corsOrigins, credentials: false } : { origin: '*', credentials: false },
    graphiql: {
      title: 'Contacts service',
      defaultQuery: GRAPHIQL_DEFAULT_QUERY,
      headers: GRAPHIQL_DEFAULT_HEADERS,
    },
    logging: false,
    maskedErrors: {
      maskError(error, message, isDev) {
        if (isDatabaseUnavailable(error)) return databaseUnavailableError();
        const masked = maskError(error, message, isDev);
        if (masked !== error) log.error('unexpected error', { error: (error as { originalError?: unknown }).originalError ?? error });
        return masked;
      },
    },
    context: async ({ request }) => {
      let account = accounts.get(request);
      if (!account) {
        account = authenticate(db, request.headers.get('authorization'));
        accounts.set(request, account);
      }
      const accountId = await account;
      if (!accountId) throw unauthenticatedError();
      return { db, accountId };
    },
  });
}

function databaseUnavailableError(): GraphQLError {
  return new GraphQLError('The database is unavailable; try again shortly.', {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'Retry-After': '5' } } },
  });
}
