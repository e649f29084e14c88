import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { log } from '../log.js';
import type { Context } from '../graphql/context.js';
import { schema } from '../graphql/index.js';
import { isDatabaseUnavailable, isUnstorableText } from '../db/errors.js';
import { unauthenticatedError } from './auth.js';
import type { Credentials } from '../core/accounts/service.js';
import { callerOf, type LiveEvents } from '../core/events/service.js';
import type { ImportRuntime } from '../core/imports/import-runtime.js';
import { useBodyLimits } from './upload.js';
import { useDocumentLimits } from './request-limits.js';
import { useMalformedRequests } from './malformed-requests.js';
import { useCompiledExecution } from './compiled-execution.js';
import { GRAPHIQL_DEFAULT_HEADERS, GRAPHIQL_DEFAULT_QUERY } from './graphiql.js';
import { renderLocalGraphiql } from './graphiql-assets.js';
import { useUnsupportedMediaType, withDocumentedCode } from './error-codes.js';
import { BATCH_ANSWERED_PER_OPERATION, useBatchLimit } from './batch-limit.js';

export interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Authenticated before Yoga runs (see graphql-route.ts); null only where no data is served. */
  credentials: Credentials | null;
}

export const MAX_BATCH = 10;

export function createGraphqlHandler(db: Database, config: Config, imports: ImportRuntime, liveEvents: LiveEvents) {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // MAX_BATCH is applied by useBatchLimit, which answers one error per operation.
    batching: { limit: BATCH_ANSWERED_PER_OPERATION },
    // Both replaced by useBodyLimits (upload.ts): Yoga's would buffer or double-stream uploads.
    maxRequestBodySize: false,
    multipart: false,
    plugins: [
      useBodyLimits(config),
      useUnsupportedMediaType(),
      useBatchLimit(MAX_BATCH),
      useMalformedRequests(),
      useDocumentLimits(schema),
      useCompiledExecution(),
    ],
    cors: config.corsOrigins ? { origin: config.corsOrigins, credentials: false } : { origin: '*', credentials: false },
    graphiql: {
      title: 'Contacts service',
      defaultQuery: GRAPHIQL_DEFAULT_QUERY,
      headers: GRAPHIQL_DEFAULT_HEADERS,
    },
    renderGraphiQL: renderLocalGraphiql,
    logging: false,
    maskedErrors: {
      maskError(error, message, isDev) {
        if (isDatabaseUnavailable(error)) return databaseUnavailableError();
        if (isUnstorableText(error)) return unstorableTextError(error);
        const masked = maskError(error, message, isDev);
        if (masked !== error) log.error('unexpected error', { error: (error as { originalError?: unknown }).originalError ?? error });
        return masked instanceof GraphQLError ? withDocumentedCode(masked) : masked;
      },
    },
    context: ({ credentials }) => {
      if (!credentials) throw unauthenticatedError();
      const { accountId, key, keyHash } = credentials;
      return {
        db,
        accountId,
        caller: callerOf(accountId, 'graphql', key),
        eventRetentionDays: config.eventRetentionDays,
        liveEvents,
        imports,
        keyHash,
        webhooks: config.webhooks,
      };
    },
  });
}

export const DATABASE_UNAVAILABLE = {
  message: 'The database is unavailable; try again shortly.',
  extensions: { code: 'SERVICE_UNAVAILABLE' },
};

function databaseUnavailableError(): GraphQLError {
  return new GraphQLError(DATABASE_UNAVAILABLE.message, {
    extensions: { ...DATABASE_UNAVAILABLE.extensions, http: { status: 503, headers: { 'Retry-After': '5' } } },
  });
}

export const UNSTORABLE_TEXT = 'Text may not hold a NUL character (\\u0000).';

/** A NUL in an argument the database was asked to compare or store: the client's input, not a fault. */
function unstorableTextError(error: unknown): GraphQLError {
  return new GraphQLError(UNSTORABLE_TEXT, { path: (error as GraphQLError).path, extensions: { code: 'BAD_USER_INPUT' } });
}
