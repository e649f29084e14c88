import type { Prisma, PrismaClient } from './generated/prisma/client.js';
import { isTransientConflict } from './errors.js';

const ATTEMPTS = 4;

/**
 * An interactive transaction that is run again when it loses a deadlock or serialization race
 * (writers of overlapping contacts lock rows in whatever order their plans visit them), so such
 * a race never reaches a client as an error. fn must be safe to run again: it is, as a whole
 * transaction either commits or leaves nothing behind.
 */
export async function retryingTransaction<T>(prisma: PrismaClient, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction(fn, { timeout: 300_000, maxWait: 60_000 });
    } catch (error) {
      if (attempt >= ATTEMPTS || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
    }
  }
}
