// All of the SQL on accounts and api_keys.
import type { PrismaClient } from '../../../db/generated/prisma/client.js';
import type { RawSql } from '../../../db/transaction.js';

export interface KeyRow {
  id: string;
  prefix: string;
  hash: string;
}

export async function insertAccount(prisma: PrismaClient, id: string, name: string, key: KeyRow): Promise<void> {
  await prisma.account.create({ data: { id, name, apiKeys: { create: key } } });
}

export async function accountExists(prisma: PrismaClient, id: string): Promise<boolean> {
  return (await prisma.account.findUnique({ where: { id }, select: { id: true } })) !== null;
}

export async function anyAccountExists(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.account.findFirst({ select: { id: true } })) !== null;
}

export async function insertKey(prisma: PrismaClient, accountId: string, key: KeyRow): Promise<void> {
  await prisma.apiKey.create({ data: { ...key, accountId } });
}

/** The ids of at most `take` live keys with this id or this visible prefix. */
export async function liveKeyIds(prisma: PrismaClient, match: { id: string } | { prefix: string }, take: number): Promise<string[]> {
  const keys = await prisma.apiKey.findMany({ where: { ...match, revokedAt: null }, select: { id: true }, take });
  return keys.map((key) => key.id);
}

export async function markKeyRevoked(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
}

/** The account of the live key with this hash, or null. */
export async function accountOfLiveKey(prisma: PrismaClient, hash: string): Promise<string | null> {
  const row = await prisma.apiKey.findUnique({ where: { hash }, select: { accountId: true, revokedAt: true } });
  return row && !row.revokedAt ? row.accountId : null;
}

/**
 * Whether the key with this hash is still live, read inside a transaction of the caller's (an
 * import batch): FOR SHARE makes a revocation wait for that transaction, and one after it see it.
 */
export async function keyStillLive(tx: RawSql, hash: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ live: boolean }[]>`SELECT revoked_at IS NULL AS live FROM api_keys WHERE hash = ${hash} FOR SHARE`;
  return rows[0]?.live === true;
}
