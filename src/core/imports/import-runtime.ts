// What an instance keeps about the imports it runs (issue 11): a cap on how many run at once, so
// that imports cannot take the pool and the CPU from interactive requests (past it, a clear 429
// with Retry-After); each running job's lease, moved on while it runs; a sweep that marks FAILED
// the jobs whose lease ran out, whichever instance ran them; and, on SIGTERM, a wait for the
// imports cut by the drain to write their FAILED before the pool closes.
import type { Database } from '../../db/database.js';
import { log } from '../../log.js';
import { failExpiredLeases, renewLease } from './repository/leases.js';
import { writeFailedJobEvents } from './repository/jobs.js';
import { setTransaction } from '../../db/transaction.js';

export interface ImportSettings {
  /** MAX_CONCURRENT_IMPORTS */
  maxConcurrent: number;
  /** IMPORT_LEASE_MS: how long a job stays PROCESSING without its instance renewing the lease. */
  leaseMs: number;
}

export const STOPPED_REASON = 'the service stopped before the import finished';
export const LEASE_EXPIRED_REASON = 'the instance running the import stopped (its lease ran out)';

/** How long a stop waits for cut imports to write their FAILED. */
const SETTLE_MS = 10_000;

export class ImportRuntime {
  private running = 0;
  private settling = new Set<Promise<unknown>>();
  private sweeper: NodeJS.Timeout | undefined;
  stopping = false;

  constructor(
    private db: Database,
    readonly settings: ImportSettings,
  ) {}

  /** Takes a slot for one import; null when every slot is taken. */
  tryAcquire(): (() => void) | null {
    if (this.running >= this.settings.maxConcurrent) return null;
    this.running++;
    let released = false;
    return () => {
      if (!released) this.running--;
      released = true;
    };
  }

  /** How many imports this instance runs now. */
  get runningImports(): number {
    return this.running;
  }

  /** Runs one import in a slot already taken, so that a stop can wait for it. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.settling.add(settled);
    void settled.then(() => this.settling.delete(settled));
    return work;
  }

  /** Moves the job's lease on until the returned function is called. */
  async holdLease(jobId: string): Promise<() => void> {
    const renew = () => renewLease(this.db.prisma, jobId, this.settings.leaseMs);
    await renew();
    const timer = setInterval(() => {
      renew().catch((error: unknown) => log.warn('could not renew an import lease', { job: jobId, error: (error as Error).message }));
    }, this.settings.leaseMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Marks FAILED every PROCESSING job whose lease ran out; answers their ids. */
  async sweep(): Promise<string[]> {
    const ids = await setTransaction(this.db, async (tx) => {
      const failed = await failExpiredLeases(tx, LEASE_EXPIRED_REASON);
      await writeFailedJobEvents(tx, failed);
      return failed.map((job) => job.id);
    });
    if (ids.length) log.warn('import jobs whose instance stopped marked FAILED', { jobs: ids });
    return ids;
  }

  startSweeping(): void {
    this.sweeper = setInterval(() => {
      this.sweep().catch((error: unknown) => log.warn('could not sweep abandoned imports', { error: (error as Error).message }));
    }, this.settings.leaseMs / 2);
    this.sweeper.unref();
  }

  /** After the HTTP drain: waits (bounded) for cut imports to record how they ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.sweeper);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.settling), new Promise((resolve) => (timer = setTimeout(resolve, SETTLE_MS)))]);
    clearTimeout(timer);
  }
}

/** The answer past the cap: 429 with Retry-After on both surfaces. */
export const IMPORTS_BUSY = {
  message: 'this instance already runs as many imports as it takes at once (MAX_CONCURRENT_IMPORTS); try again shortly',
  code: 'TOO_MANY_IMPORTS',
  retryAfterSeconds: 10,
} as const;
