import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Database } from '../db/database.js';
import { type Credentials, verifyKey } from '../core/accounts/service.js';
import { sendJson } from './respond.js';

export const UNAUTHENTICATED_MESSAGE = 'Missing, unknown or revoked API key: send "Authorization: Bearer sk_live_…".';

/** The key in an `Authorization: Bearer <key>` header, or null. */
export function bearerKey(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** The caller's credentials, or null when the header holds no live key. */
export async function authenticate(db: Database, header: string | null | undefined): Promise<Credentials | null> {
  const key = bearerKey(header);
  return key ? verifyKey(db, key) : null;
}

/**
 * The credentials of an HTTP request, or null after answering 401 (a GraphQL-shaped body, so
 * that GraphQL clients and curl users read the same error).
 */
export async function requireCredentials(db: Database, req: IncomingMessage, res: ServerResponse): Promise<Credentials | null> {
  const credentials = await authenticate(db, req.headers.authorization);
  if (!credentials) {
    sendJson(
      res,
      401,
      { errors: [{ message: UNAUTHENTICATED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] },
      { 'WWW-Authenticate': 'Bearer' },
    );
  }
  return credentials;
}

export function unauthenticatedError(): GraphQLError {
  return new GraphQLError(UNAUTHENTICATED_MESSAGE, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });
}
