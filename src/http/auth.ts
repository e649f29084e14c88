import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Database } from '../db/database.js';
import { accountForKey } from '../core/accounts/service.js';
import { sendJson } from './respond.js';

export const UNAUTHENTICATED_MESSAGE = 'Missing, unknown or revoked API key: send "Authorization: Bearer sk_live_…".';

/** The key in an `Authorization: Bearer <key>` header, or null. */
export function bearerKey(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** The caller's account, or null when the header holds no live key. */
export async function authenticate(db: Database, header: string | null | undefined): Promise<string | null> {
  const key = bearerKey(header);
  return key ? accountForKey(db, key) : null;
}

/**
 * The account of an HTTP request, or null after answering 401 (a GraphQL-shaped body, so that
 * GraphQL clients and curl users read the same error).
 */
export async function requireAccount(db: Database, req: IncomingMessage, res: ServerResponse): Promise<string | null> {
  const accountId = await authenticate(db, req.headers.authorization);
  if (!accountId) {
    sendJson(
      res,
      401,
      { errors: [{ message: UNAUTHENTICATED_MESSAGE, extensions: { code: 'UNAUTHENTICATED' } }] },
      { 'WWW-Authenticate': 'Bearer' },
    );
  }
  return accountId;
}

export function unauthenticatedError(): GraphQLError {
  return new GraphQLError(UNAUTHENTICATED_MESSAGE, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });
}
