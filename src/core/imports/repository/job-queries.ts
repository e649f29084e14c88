// Reading what import jobs hold, for REST: a job and its row errors. (GraphQL's importJobs is a
// t.prismaConnection in src/graphql/import-job.ts.)
import type { ImportJob, PrismaClient } from '../../../db/generated/prisma/client.js';
import type { RowError } from './jobs.js';

/** The account's job of that id; null for another account's or an unknown id alike. */
export function findImportJob(prisma: PrismaClient, accountId: string, id: string): Promise<ImportJob | null> {
  return prisma.importJob.findFirst({ where: { id, accountId } });
}

export function listRowErrors(prisma: PrismaClient, jobId: string, first: number): Promise<RowError[]> {
  return prisma.importRowError.findMany({
    where: { jobId },
    orderBy: [{ line: 'asc' }, { id: 'asc' }],
    take: first,
    select: { line: true, email: true, message: true },
  });
}
