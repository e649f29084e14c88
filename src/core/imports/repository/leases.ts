// The lease of a running import job (issue 11): moved on while its instance runs it, and swept
// by every instance once it ran out.
import type { ImportJob, PrismaClient } from '../../../db/generated/prisma/client.js';
import type { RawSql } from '../../../db/transaction.js';
import { JOB_COLUMNS, toJob } from './jobs.js';

/** Moves the lease of a PROCESSING job to `leaseMs` from now. */
export async function renewLease(prisma: PrismaClient, jobId: string, leaseMs: number): Promise<void> {
  await prisma.$executeRaw`
    UPDATE import_jobs SET lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}::float8)
    WHERE id = ${jobId} AND status = 'PROCESSING'`;
}

/** Marks FAILED, with this reason, every PROCESSING job whose lease ran out, in the caller's transaction; answers them. */
export async function failExpiredLeases(tx: RawSql, reason: string): Promise<ImportJob[]> {
  const rows = await tx.$queryRaw<ImportJob[]>`
    UPDATE import_jobs j SET status = 'FAILED', failure_reason = ${reason}, finished_at = now()
    WHERE j.status = 'PROCESSING' AND j.lease_expires_at < now()
    RETURNING ${JOB_COLUMNS}`;
  return rows.map(toJob);
}
