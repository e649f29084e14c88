// Accounts and their API keys. A key is `sk_live_` + 40 base62 characters; only its SHA-256 is
// stored (a key is long and random, so a fast hash is as safe as a slow one here), beside a short
// prefix that tells keys apart in listings and revocations.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../db/generated/prisma/client.js';
import { newId, randomString } from '../ids.js';

const KEY_PREFIX = 'sk_live_';
const KEY_BODY_LENGTH = 40;
const VISIBLE_PREFIX_LENGTH = KEY_PREFIX.length + 8;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface AccountKey {
  accountId: string;
  apiKey: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createAccount(prisma: PrismaClient, name: string): Promise<AccountKey> {
  const accountId = newId('account');
  const apiKey = newKey();
  await prisma.account.create({
    data: { id: accountId, name, apiKeys: { create: keyRow(apiKey) } },
  });
  return { accountId, apiKey };
}

export async function createKey(prisma: PrismaClient, accountId: string): Promise<AccountKey | null> {
  const account = await prisma.account.findUnique({ where: { id: accountId }, select: { id: true } });
  if (!account) return null;
  const apiKey = newKey();
  await prisma.apiKey.create({ data: { ...keyRow(apiKey), accountId } });
  return { accountId, apiKey };
}

export type RevokeResult = { revoked: string } | { error: 'NOT_FOUND' | 'AMBIGUOUS' };

/** Revokes the key with this ID (key_…) or visible prefix (sk_live_…); a prefix must name one key. */
export async function revokeKey(prisma: PrismaClient, keyPrefixOrId: string): Promise<RevokeResult> {
  const where = keyPrefixOrId.startsWith(KEY_PREFIX)
    ? { prefix: keyPrefixOrId.slice(0, VISIBLE_PREFIX_LENGTH), revokedAt: null }
    : { id: keyPrefixOrId, revokedAt: null };
  const keys = await prisma.apiKey.findMany({ where, select: { id: true }, take: 2 });
  if (keys.length === 0) return { error: 'NOT_FOUND' };
  if (keys.length > 1) return { error: 'AMBIGUOUS' };
  const id = keys[0]!.id;
  await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  return { revoked: id };
}

/** The account a live key belongs to, or null for an unknown or revoked key. */
export async function accountForKey(prisma: PrismaClient, key: string): Promise<string | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const row = await prisma.apiKey.findUnique({
    where: { hash: hashKey(key) },
    select: { accountId: true, revokedAt: true },
  });
  return row && !row.revokedAt ? row.accountId : null;
}

export async function hasAccounts(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.account.findFirst({ select: { id: true } })) !== null;
}

function newKey(): string {
  return KEY_PREFIX + randomString(BASE62, KEY_BODY_LENGTH);
}

function keyRow(apiKey: string) {
  return { id: newId('apiKey'), prefix: apiKey.slice(0, VISIBLE_PREFIX_LENGTH), hash: hashKey(apiKey) };
}
