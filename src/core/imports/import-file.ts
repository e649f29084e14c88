// The one import pipeline behind `importContacts` and `POST /contacts/import`: the uploaded file
// streams through the CSV reader into batches that each commit in one transaction (contacts,
// segment memberships, row errors and the job's counts together), so a batch is all there or
// not at all. As many batches commit at once as the import's share of connections (BatchWindow)
// and the next one is parsed meanwhile, never more, so memory stays flat and a slow database
// slows the upload down (backpressure).
import { PassThrough, type Readable } from 'node:stream';
import type { Database } from '../../db/database.js';
import type { ContactUpsert } from '../contacts/changes.js';
import { analyzeContacts, emailsUpdatedSince, upsertContactBatch, type UpsertOrder } from '../contacts/repository/upsert.js';
import type { ImportJob } from '../../db/generated/prisma/client.js';
import { CsvFileError, readCsv } from './csv/reader.js';
import { type Column, readHeader } from './csv/header.js';
import { readRow } from './csv/row.js';
import { CONTACT_LIMITS } from '../contacts/rules.js';
import { addMembers } from '../segments/repository/membership.js';
import { membershipEvent, staticSegment } from '../segments/service.js';
import { type Caller, writeEvents } from '../events/service.js';
import { importJobJson } from '../json.js';
import { type UserError, userError } from '../user-error.js';
import { WrittenEmails } from './written-emails.js';
import { type BatchCounts, finishJob, KEPT_ROW_ERRORS, keptRowErrors, recordBatch, type RowError, withNewJob } from './repository/jobs.js';
import { type RawSql, setTransaction } from '../../db/transaction.js';
import { type ImportRuntime, STOPPED_REASON } from './import-runtime.js';
import { keyStillLive } from '../accounts/repository/accounts.js';
import { Turns } from './turns.js';
import { BatchWindow, CommittedLines, connectionShare } from './batch-window.js';

/** Rows per transaction: large enough for set-based SQL to pay off, small enough to stay flat. */
export const BATCH_ROWS = 5000;
/**
 * And text per transaction, so that a file of wide rows (long notes, many columns) stays flat too.
 * A batch's statements are built and sent in one stretch of the thread: at 4 MiB, eight imports of
 * 2 KB rows held 437 MB and interactive requests waited up to 130 ms behind them; at 1 MiB,
 * 250–290 MB (bench:isolation).
 */
const BATCH_CHARS = 1024 * 1024;
const ANALYZE_AFTER_ROWS = 50_000;

export interface ImportRequest {
  /** The account and the key (its source is `import`, whichever surface took the file). */
  caller: Caller;
  /** A STATIC segment of the account (see checkImportSegment) that every contact joins. */
  segmentId: string | null;
  filename: string | null;
  /** The uploaded file's stream; it fails with FileTooLargeError when the file passes the upload limit. */
  file: Readable;
  /** The instance's imports: the job's lease and the stop. */
  runtime?: ImportRuntime;
  /** SHA-256 of the API key that started the import: each batch commits only while it is live. */
  keyHash?: string;
}

export interface ImportResult {
  job: ImportJob;
  /** Why the job FAILED, when it did: INVALID for a file that is no usable CSV, LIMIT_EXCEEDED past MAX_UPLOAD_BYTES. */
  refusal: UserError | null;
}

/** What the upload reader (src/http/multipart.ts) fails the file with once it passes MAX_UPLOAD_BYTES. */
export class FileTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the file is larger than the upload limit of ${limit} bytes (MAX_UPLOAD_BYTES)`);
  }
}
/** The upload ended before the file did: the client went away, or the form broke off. */
class UploadBrokenError extends Error {}
/** An import runs under the key that started it: a key revoked meanwhile stops it at its next batch. */
class KeyRevokedError extends Error {
  constructor() {
    super('the API key that started the import was revoked');
  }
}

/** The segment an import may add contacts to: a STATIC one of the account, else a user error at ["segmentId"]. */
export async function checkImportSegment(db: Database, accountId: string, segmentId: string): Promise<UserError | null> {
  const target = await staticSegment(
    db,
    accountId,
    segmentId,
    ['segmentId'],
    'an import can only add contacts to a STATIC segment; a DYNAMIC one follows its rules',
  );
  return target.ok ? null : target.errors[0]!;
}

export function importFile(db: Database, request: ImportRequest): Promise<ImportResult> {
  const { segmentId, filename } = request;
  const caller: Caller = { ...request.caller, source: 'import' };
  const source = uploadSource(request);
  // Every statement of the import runs on the imports' own pool (PostgreSQL; PGlite has one connection).
  const work = db.forImports;
  return withNewJob(db, { accountId: caller.accountId, segmentId, filename }, async (job) => {
    const connections = () => connectionShare(work.connections, request.runtime?.runningImports ?? 1);
    const writer = new BatchWriter(work, job, caller, segmentId, request.keyHash ?? null, connections);
    const releaseLease = request.runtime ? await request.runtime.holdLease(job.id) : () => {};
    let finished: ImportJob;
    try {
      await readInto(source, writer);
      finished = await finishJobWithEvent(work, caller, job.id);
    } catch (error) {
      // A batch already committing lands (or fails) before the job says how far the import got.
      await writer.settled().catch(() => {});
      const refusal = request.runtime?.stopping ? null : refusalFor(error);
      const reason = request.runtime?.stopping
        ? `${STOPPED_REASON}${writer.committedUpTo(' ')}`
        : refusal
          ? `${refusal.message}${writer.committedUpTo(' ')}`
          : 'unexpected error';
      const failed = await finishJobWithEvent(work, caller, job.id, reason);
      if (!refusal) throw error;
      return { job: failed, refusal };
    } finally {
      releaseLease();
      // Whatever is left of the upload is read and dropped, so that the client gets its answer.
      request.file.unpipe(source);
      request.file.resume();
    }
    // Fresh statistics after a bulk change: with the old ones the planner takes an account that
    // just grew by a million rows for a small one (an export then sorts instead of walking its
    // index: 60 s instead of 5 for a million rows, measured).
    if (finished.imported + finished.updated >= ANALYZE_AFTER_ROWS) await analyzeContacts(work);
    return { job: finished, refusal: null };
  });
}

/** Closes the job as COMPLETED (or FAILED, with a reason) and writes import.completed (import.failed), in one transaction. */
function finishJobWithEvent(db: Database, caller: Caller, jobId: string, failureReason: string | null = null): Promise<ImportJob> {
  return setTransaction(db, async (tx) => {
    const job = await finishJob(tx, jobId, failureReason);
    const rowErrors = (await keptRowErrors(tx, [job.id])).get(job.id) ?? [];
    await writeEvents(tx, caller, [
      { type: job.status === 'COMPLETED' ? 'import.completed' : 'import.failed', importJobId: job.id, data: importJobJson(job, rowErrors) },
    ]);
    return job;
  });
}

/**
 * The upload as the CSV reader reads it: failing as the file does, a cut at the size limit as
 * such (the cut row must not be taken for a whole one), any other failure as a broken upload.
 * Listens at once, before any await, so that no failure is missed.
 */
function uploadSource(request: ImportRequest): PassThrough {
  const source = new PassThrough();
  source.on('error', () => {}); // told by the CSV reader, which may start reading later
  const fail = (error: Error) =>
    source.destroy(
      error instanceof FileTooLargeError ? error : new UploadBrokenError(`the upload ended before the file did (${error.message})`),
    );
  if (request.file.errored) fail(request.file.errored);
  request.file.on('error', fail);
  request.file.pipe(source);
  return source;
}

function refusalFor(error: unknown): UserError | null {
  if (error instanceof FileTooLargeError) return userError('LIMIT_EXCEEDED', ['file'], error.message);
  if (error instanceof CsvFileError || error instanceof UploadBrokenError) return userError('INVALID', ['file'], error.message);
  if (error instanceof KeyRevokedError) return userError('NOT_ALLOWED', ['file'], error.message);
  return null;
}

async function readInto(source: Readable, writer: BatchWriter): Promise<void> {
  let columns: Column[] | null = null;
  const turns = new Turns();
  for await (const row of readCsv(source)) {
    if (turns.over) await turns.end();
    if (!columns) {
      const header = readHeader(row.cells);
      if (!header.ok) throw new CsvFileError(header.message);
      columns = header.columns;
      continue;
    }
    const result = readRow(row.cells, columns);
    writer.count(row.cells);
    if (result.ok) writer.add(row.line, result.item);
    else writer.reject({ line: row.line, email: clip(result.email), message: result.message });
    if (writer.full) await writer.flush();
  }
  await writer.flush();
  await writer.settled();
}

interface Batch {
  items: ContactUpsert[];
  lines: number[];
  rowErrors: RowError[];
  errors: number;
  lastLine: number;
  chars: number;
}

/**
 * Commits batches, as many at once as its share of the imports' connections; the next batch is
 * parsed meanwhile. Batches in flight side by side lock the same few rows only near their ends
 * (the account's property keys and count, by the triggers after the INSERT, then the job's), in
 * that order, so one waits there for the other's commit while the rest of their work overlaps.
 * A deadlock with any other writer runs the batch again (setTransaction).
 */
class BatchWriter {
  private batch = emptyBatch();
  private window: BatchWindow;
  private lines = new CommittedLines();
  private failure: Error | null = null;
  private writtenEmails = new WrittenEmails();
  /** On this process's clock, as the batches' updated_at (upsertContactBatch's now) are. */
  private startedAt = new Date();
  private keptErrors = 0;
  /** Statistics are brought up to date each time the rows written double (from ANALYZE_AFTER_ROWS). */
  private written = 0;
  private nextAnalyze = ANALYZE_AFTER_ROWS;
  private order: UpsertOrder = 'new-first';

  constructor(
    private db: Database,
    private job: ImportJob,
    private caller: Caller,
    private segmentId: string | null,
    private keyHash: string | null,
    connections: () => number,
  ) {
    this.window = new BatchWindow(connections);
  }

  get full(): boolean {
    return this.batch.items.length + this.batch.errors >= BATCH_ROWS || this.batch.chars >= BATCH_CHARS;
  }

  /** Counts a row's text toward the batch's size. */
  count(cells: string[]): void {
    for (const cell of cells) this.batch.chars += cell.length;
  }

  add(line: number, item: ContactUpsert): void {
    this.batch.items.push(item);
    this.batch.lines.push(line);
    this.batch.lastLine = line;
  }

  reject(error: RowError): void {
    this.batch.errors++;
    this.batch.lastLine = error.line;
    if (this.keptErrors < KEPT_ROW_ERRORS) {
      this.keptErrors++;
      this.batch.rowErrors.push(error);
    }
  }

  /** Starts committing the batch as soon as the window lets it (see BatchWindow). */
  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = emptyBatch();
    if (batch.items.length + batch.errors === 0) return;
    const emails = new Set(batch.items.map((item) => item.email));
    await this.window.admit(emails);
    if (this.failure) throw this.failure;
    const number = this.lines.open(batch.lastLine);
    const committed = this.commit(batch, emails).then(
      () => this.lines.commit(number),
      (error: unknown) => {
        this.failure ??= error as Error;
      },
    );
    this.window.enter(emails, committed);
  }

  async settled(): Promise<void> {
    await this.window.drain();
    if (this.failure) throw this.failure;
  }

  committedUpTo(prefix: string): string {
    return `${prefix}${this.lines.describe()}`;
  }

  /** emails: the batch's distinct emails. */
  private async commit(batch: Batch, emails: ReadonlySet<string>): Promise<void> {
    const { accountId } = this.job;
    // Run again after a lost deadlock: what the batch learns stays in its result until it commits.
    const committed = await setTransaction(this.db, async (tx) => {
      if (this.keyHash && !(await keyStillLive(tx, this.keyHash))) throw new KeyRevokedError();
      const counted = await this.writtenBefore(tx, emails);
      const outcome = await upsertContactBatch(tx, this.caller, batch.items, { importJobId: this.job.id, order: this.order });
      const counts: BatchCounts = { rowsProcessed: batch.items.length + batch.errors, imported: 0, updated: 0, errors: batch.errors };
      const written: string[] = [];
      for (const row of outcome.rows) {
        if (counted.has(row.email)) continue;
        if (row.created) counts.imported++;
        else counts.updated++;
        written.push(row.email);
      }

      const rowErrors = [...batch.rowErrors];
      outcome.overLimit.forEach((email, index) => {
        counts.errors++;
        if (this.keptErrors + index < KEPT_ROW_ERRORS) {
          const line = batch.lines[batch.items.findLastIndex((item) => item.email === email)]!;
          rowErrors.push({ line, email, message: `the contact would hold more than ${CONTACT_LIMITS.propertyCount} properties` });
        }
      });
      // The contacts' events are written with them; the memberships the batch added make one more.
      if (this.segmentId && outcome.rows.length) {
        const ids = outcome.rows.map((row) => row.id);
        const added = await addMembers(tx, accountId, this.segmentId, ids);
        await writeEvents(tx, this.caller, membershipEvent('segment.contacts_added', this.segmentId, ids, added, this.job.id));
      }
      rowErrors.sort((a, b) => a.line - b.line);
      await recordBatch(tx, this.job.id, counts, rowErrors);
      const created = outcome.rows.filter((row) => row.created).length;
      return { written, overLimit: outcome.overLimit.length, created, updated: outcome.rows.length - created };
    });
    for (const email of committed.written) this.writtenEmails.add(email);
    // The next batch of a file much like this one: mostly known emails (a re-import) go first.
    this.order = committed.updated > committed.created ? 'known-first' : 'new-first';
    this.keptErrors += committed.overLimit;
    // While an import grows an account, statistics that still describe it as small make the
    // planner hash all of the account's contacts for each batch's UPDATE instead of probing the
    // (account, email) index: an import that slows as it grows. A few ANALYZEs keep it linear.
    this.written += batch.items.length;
    if (this.written >= this.nextAnalyze) {
      this.nextAnalyze *= 2;
      await analyzeContacts(this.db);
    }
  }

  /**
   * The batch's emails that an earlier batch of this import already created or updated (and so
   * counted): read before this batch writes, by the contact's last update.
   */
  private async writtenBefore(tx: RawSql, emails: ReadonlySet<string>): Promise<Set<string>> {
    const candidates = [...emails].filter((email) => this.writtenEmails.mayHave(email));
    if (candidates.length === 0) return new Set();
    return new Set(await emailsUpdatedSince(tx, this.job.accountId, candidates, this.startedAt));
  }
}

function emptyBatch(): Batch {
  return { items: [], lines: [], rowErrors: [], errors: 0, lastLine: 0, chars: 0 };
}

/** What a row error keeps of a bad email cell. */
function clip(email: string | null): string | null {
  return email && email.length > 320 ? `${email.slice(0, 317)}...` : email;
}
