// Importing CSV files into an account, and the jobs that tell how each import went. The pipeline
// is import-file.ts; the SQL is in repository/.
import type { Database } from '../../db/database.js';
import type { ImportJob } from './job.js';
import { findImportJob, listRowErrors } from './repository/job-queries.js';
import type { RowError } from './repository/jobs.js';

export { checkImportSegment, FileTooLargeError, type ImportRequest, type ImportResult, importFile } from './import-file.js';
export { failAbandonedJobs, KEPT_ROW_ERRORS } from './repository/jobs.js';

/** The account's job of that id, or null (another account's job is not found either). */
export function importJobOf(db: Database, accountId: string, id: string): Promise<ImportJob | null> {
  return findImportJob(db.prisma, accountId, id);
}

/** The job's first `first` kept row errors, in line order. */
export function rowErrorsOf(db: Database, jobId: string, first: number): Promise<RowError[]> {
  return listRowErrors(db.prisma, jobId, first);
}
