// The ImportJob row: written when an import starts, its counts moved on as batches commit (in the
// batch's own transaction), closed as COMPLETED or FAILED. While an import runs, its process
// holds an advisory lock named after the job, so a start-up can tell a job whose process died
// (lock free) from one another instance is still running (lock held).
import type { Database, SqlSession } from '../../../db/database.js';
import { type ImportJob, Prisma } from '../../../db/generated/prisma/client.js';
import { newId } from '../../ids.js';
import { log } from '../../../log.js';
import { type RawSql, setTransaction } from '../../../db/transaction.js';
import { insertEvents } from '../../events/repository/events.js';
import { importJobJson } from '../../json.js';

/** Key space of the job locks (the two-integer form; migrations lock a single bigint key). */
const JOB_LOCK_CLASS = 0x696d70; // "imp"

/** The row errors a job keeps; the count goes on past it. */
export const KEPT_ROW_ERRORS = 1000;

export interface RowError {
  line: number;
  email: string | null;
  message: string;
}

export interface BatchCounts {
  rowsProcessed: number;
  imported: number;
  updated: number;
  errors: number;
}

export interface NewJob {
  accountId: string;
  segmentId: string | null;
  filename: string | null;
}

/**
 * Creates a job and runs fn with it while holding the job's lock on a connection of its own. The
 * lock is taken before the row exists, so no start-up ever sees the job PROCESSING and unlocked.
 * The lock's connection, idle while the import runs, is one of the interactive pool's (at most
 * MAX_CONCURRENT_IMPORTS of them); every statement of the import runs on db.forImports, whose
 * IMPORT_POOL_SIZE connections the running imports' batches share.
 */
export function withNewJob<T>(db: Database, data: NewJob, fn: (job: ImportJob) => Promise<T>): Promise<T> {
  const jobId = newId('importJob');
  return db.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1, hashtext($2))', [JOB_LOCK_CLASS, jobId]);
    try {
      return await fn(await db.forImports.prisma.importJob.create({ data: { id: jobId, ...data } }));
    } finally {
      await session.query('SELECT pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK_CLASS, jobId]);
    }
  });
}

/** Adds a committed batch to the job, inside the batch's transaction. */
export async function recordBatch(tx: RawSql, jobId: string, counts: BatchCounts, rowErrors: RowError[]): Promise<void> {
  await tx.$queryRaw`
    UPDATE import_jobs SET rows_processed = rows_processed + ${counts.rowsProcessed}, imported = imported + ${counts.imported},
      updated = updated + ${counts.updated}, errors = errors + ${counts.errors}
    WHERE id = ${jobId}`;
  if (rowErrors.length === 0) return;
  await tx.$queryRaw`
    INSERT INTO import_row_errors (job_id, line, email, message)
    SELECT ${jobId}, e.line, e.email, e.message
    FROM unnest(${rowErrors.map((error) => error.line)}::int[], ${rowErrors.map((error) => error.email)}::text[],
                ${rowErrors.map((error) => error.message)}::text[]) AS e(line, email, message)`;
}

/** Closes the job, in the caller's transaction: COMPLETED, or FAILED with the reason. */
export async function finishJob(tx: RawSql, jobId: string, failureReason: string | null = null): Promise<ImportJob> {
  const [row] = await tx.$queryRaw<ImportJob[]>`
    UPDATE import_jobs j SET status = ${failureReason === null ? 'COMPLETED' : 'FAILED'}::"ImportJobStatus",
      failure_reason = ${failureReason}::text, finished_at = ${new Date()}::timestamptz
    WHERE j.id = ${jobId}
    RETURNING ${JOB_COLUMNS}`;
  return toJob(row!);
}

/** At start-up: a job still PROCESSING whose lock is free was left by a process that died. */
export async function failAbandonedJobs(db: Database): Promise<void> {
  const running = await db.prisma.importJob.findMany({ where: { status: 'PROCESSING' }, select: { id: true } });
  if (running.length === 0) return;
  const abandoned = await db.withSession(async (session) => {
    const ids: string[] = [];
    for (const { id } of running) if (await tryLock(session, id)) ids.push(id);
    return ids;
  });
  if (abandoned.length === 0) return;
  await setTransaction(db, async (tx) => {
    const failed = await tx.$queryRaw<ImportJob[]>`
      UPDATE import_jobs j SET status = 'FAILED', failure_reason = 'the service stopped before the import finished', finished_at = now()
      WHERE j.id = ANY(${abandoned}::text[]) AND j.status = 'PROCESSING'
      RETURNING ${JOB_COLUMNS}`;
    await writeFailedJobEvents(tx, failed.map(toJob));
  });
  log.warn('import jobs left unfinished by a stopped process marked FAILED', { jobs: abandoned });
}

async function tryLock(session: SqlSession, jobId: string): Promise<boolean> {
  const [row] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
    JOB_LOCK_CLASS,
    jobId,
  ]);
  if (row?.locked) await session.query('SELECT pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK_CLASS, jobId]);
  return row?.locked === true;
}

export const JOB_COLUMNS = Prisma.sql`j.id, j.account_id AS "accountId", j.segment_id AS "segmentId", j.status::text AS status, j.filename,
  j.rows_processed AS "rowsProcessed", j.imported, j.updated, j.errors, j.failure_reason AS "failureReason",
  j.created_at AS "createdAt", j.finished_at AS "finishedAt", j.lease_expires_at AS "leaseExpiresAt"`;

/**
 * import.failed for jobs another process than the one running them marked FAILED (at start-up,
 * or past their lease), in that transaction: source import, no key (the one that started the
 * job is not stored).
 */
export async function writeFailedJobEvents(tx: RawSql, jobs: readonly ImportJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const rowErrors = await keptRowErrors(
    tx,
    jobs.map((job) => job.id),
  );
  for (const accountId of new Set(jobs.map((job) => job.accountId))) {
    const caller = { accountId, source: 'import' as const, apiKeyPrefix: null };
    const events = jobs
      .filter((job) => job.accountId === accountId)
      .map((job) => ({ type: 'import.failed' as const, importJobId: job.id, data: importJobJson(job, rowErrors.get(job.id) ?? []) }));
    await insertEvents(tx, caller, events);
  }
}

/** The kept row errors of these jobs, in line order, read in the caller's transaction (for the jobs' events). */
export async function keptRowErrors(tx: RawSql, jobIds: readonly string[]): Promise<Map<string, RowError[]>> {
  const rows = await tx.$queryRaw<(RowError & { jobId: string })[]>`
    SELECT e.job_id AS "jobId", e.line, e.email, e.message FROM import_row_errors e
    WHERE e.job_id = ANY(${[...jobIds]}::text[]) ORDER BY e.job_id, e.line, e.id`;
  const byJob = new Map<string, RowError[]>();
  for (const { jobId, ...error } of rows) byJob.set(jobId, [...(byJob.get(jobId) ?? []), error]);
  return byJob;
}

export function toJob(row: ImportJob): ImportJob {
  return {
    ...row,
    createdAt: new Date(row.createdAt),
    finishedAt: row.finishedAt && new Date(row.finishedAt),
    leaseExpiresAt: row.leaseExpiresAt && new Date(row.leaseExpiresAt),
  };
}
