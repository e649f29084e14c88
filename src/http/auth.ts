import { GraphQLError } from 'graphql';
import type { Database } from '../db/database.js';
import { accountForKey } from '../domain/accounts.js';

export const UNAUTHENTICATED_MESSAGE = 'Missing, unknown or revoked API key: send "Authorization: Bearer sk_live_…".';

/** The key in an `Authorization: Bearer <key>` header, or null. */
export function bearerKey(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** The caller's account, or null when the header holds no live key. */
export async function authenticate(db: Database, header: string | null | undefined): Promise<string | null> {
  const key = bearerKey(header);
  return key ? accountForKey(db.prisma, key) : null;
}

export function unauthenticatedError(): GraphQLError {
  return new GraphQLError(UNAUTHENTICATED_MESSAGE, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
  });
}
