// The lease of a running import job (issue 11): moved on while its instance runs it, and swept
// by every instance once it ran out.
import type { PrismaClient } from '../../../db/generated/prisma/client.js';

/** Moves the lease of a PROCESSING job to `leaseMs` from now. */
export async function renewLease(prisma: PrismaClient, jobId: string, leaseMs: number): Promise<void> {
  await prisma.$executeRaw`
    UPDATE import_jobs SET lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    WHERE id = ${jobId} AND status = 'PROCESSING'`;
}

/** Marks FAILED, with this reason, every PROCESSING job whose lease ran out; answers their ids. */
export async function failExpiredLeases(prisma: PrismaClient, reason: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE import_jobs SET status = 'FAILED', failure_reason = ${reason}, finished_at = now()
    WHERE status = 'PROCESSING' AND lease_expires_at < now()
    RETURNING id`;
  return rows.map((row) => row.id);
}
