// Importing CSV files into an account, and the jobs that tell how each import went. The pipeline
// is import-file.ts; the SQL is in repository/.
import type { Database } from '../../db/database.js';
import type { KeysetWindow } from '../../db/keyset.js';
import type { ImportJob } from './job.js';
import { countImportJobs, findImportJob, listRowErrors } from './repository/job-queries.js';
import { listImportJobs, type RowError } from './repository/jobs.js';

export { checkImportSegment, type ImportRequest, type ImportResult, importFile } from './import-file.js';
export { failAbandonedJobs, KEPT_ROW_ERRORS } from './repository/jobs.js';

/** A keyset page of the account's jobs, newest first (ties by id). */
export function importJobPage(db: Database, accountId: string, window: KeysetWindow): Promise<ImportJob[]> {
  return listImportJobs(db.prisma, accountId, window);
}

/** The account's job of that id, or null (another account's job is not found either). */
export function importJobOf(db: Database, accountId: string, id: string): Promise<ImportJob | null> {
  return findImportJob(db.prisma, accountId, id);
}

export function importJobCount(db: Database, accountId: string): Promise<number> {
  return countImportJobs(db.prisma, accountId);
}

/** The job's first `first` kept row errors, in line order. */
export function rowErrorsOf(db: Database, jobId: string, first: number): Promise<RowError[]> {
  return listRowErrors(db.prisma, jobId, first);
}
