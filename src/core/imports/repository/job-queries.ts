// Reading what import jobs hold, for the job listing and a job's row errors.
import type { ImportJob, PrismaClient } from '../../../db/generated/prisma/client.js';
import type { RowError } from './jobs.js';

/** The account's job of that id; null for another account's or an unknown id alike. */
export function findImportJob(prisma: PrismaClient, accountId: string, id: string): Promise<ImportJob | null> {
  return prisma.importJob.findFirst({ where: { id, accountId } });
}

export function countImportJobs(prisma: PrismaClient, accountId: string): Promise<number> {
  return prisma.importJob.count({ where: { accountId } });
}

export function listRowErrors(prisma: PrismaClient, jobId: string, first: number): Promise<RowError[]> {
  return prisma.importRowError.findMany({
    where: { jobId },
    orderBy: [{ line: 'asc' }, { id: 'asc' }],
    take: first,
    select: { line: true, email: true, message: true },
  });
}
