// Accounts and their API keys: what the CLI, start-up and authentication call.
import type { Database } from '../../db/database.js';
import { newId } from '../ids.js';
import { hashKey, isKeyShaped, newKey, visiblePrefix } from './keys.js';
import {
  accountExists,
  accountOfLiveKey,
  anyAccountExists,
  insertAccount,
  insertKey,
  type KeyRow,
  liveKeyIds,
  markKeyRevoked,
} from './repository/accounts.js';
import { VerifiedKeys } from './verified-keys.js';

export { hashKey } from './keys.js';

export interface AccountKey {
  accountId: string;
  apiKey: string;
}

export async function createAccount(db: Database, name: string): Promise<AccountKey> {
  const accountId = newId('account');
  const apiKey = newKey();
  await insertAccount(db.prisma, accountId, name, keyRow(apiKey));
  return { accountId, apiKey };
}

/** A new key for an existing account; null when there is no such account. */
export async function createKey(db: Database, accountId: string): Promise<AccountKey | null> {
  if (!(await accountExists(db.prisma, accountId))) return null;
  const apiKey = newKey();
  await insertKey(db.prisma, accountId, keyRow(apiKey));
  return { accountId, apiKey };
}

export type RevokeResult = { revoked: string } | { error: 'NOT_FOUND' | 'AMBIGUOUS' };

/** Revokes the key with this ID (key_…) or visible prefix (sk_live_…); a prefix must name one key. */
export async function revokeKey(db: Database, keyPrefixOrId: string): Promise<RevokeResult> {
  const match = isKeyShaped(keyPrefixOrId) ? { prefix: visiblePrefix(keyPrefixOrId) } : { id: keyPrefixOrId };
  const ids = await liveKeyIds(db.prisma, match, 2);
  if (ids.length === 0) return { error: 'NOT_FOUND' };
  if (ids.length > 1) return { error: 'AMBIGUOUS' };
  await markKeyRevoked(db.prisma, ids[0]!);
  verifiedKeys(db).forgetAll();
  return { revoked: ids[0]! };
}

const verifiedKeysOf = new WeakMap<Database, VerifiedKeys>();

function verifiedKeys(db: Database): VerifiedKeys {
  let keys = verifiedKeysOf.get(db);
  if (!keys) verifiedKeysOf.set(db, (keys = new VerifiedKeys()));
  return keys;
}

/** A request's live key: its account, the key (its visible prefix goes into events) and its hash (an import checks it is still live). */
export interface Credentials {
  accountId: string;
  key: string;
  keyHash: string;
}

/**
 * The credentials of a live key, or null for an unknown or revoked key; the key is hashed once
 * here for all who need it. A key found live is taken as live for VERIFIED_KEY_TTL_MS
 * (verified-keys.ts), so a revocation made by another process is seen within that time.
 */
export async function verifyKey(db: Database, key: string): Promise<Credentials | null> {
  if (!isKeyShaped(key)) return null;
  const keyHash = hashKey(key);
  const accountId = await verifiedKeys(db).accountOf(keyHash, (hash) => accountOfLiveKey(db.prisma, hash));
  return accountId ? { accountId, key, keyHash } : null;
}

export function hasAccounts(db: Database): Promise<boolean> {
  return anyAccountExists(db.prisma);
}

function keyRow(apiKey: string): KeyRow {
  return { id: newId('apiKey'), prefix: visiblePrefix(apiKey), hash: hashKey(apiKey) };
}
