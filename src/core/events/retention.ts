// Retention (EVENTS.md): events older than EVENT_RETENTION_DAYS are deleted by the service, in
// batches of BATCH_ROWS rows per statement with a pause between them, so that a large backlog
// never holds locks for long or starves the writers. Runs soon after start, then every
// INTERVAL_MS, on every instance (the batches skip rows another instance is deleting).
import type { Database } from '../../db/database.js';
import { log } from '../../log.js';
import { deleteEventsBefore } from './repository/events.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const RETENTION_BATCH_ROWS = 1000;
const INTERVAL_MS = 10 * 60 * 1000;
const FIRST_RUN_MS = 5000;
const PAUSE_MS = 20;

export class EventRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private db: Database,
    private retentionDays: number,
    private options: { intervalMs?: number; firstRunMs?: number; batchRows?: number } = {},
  ) {}

  start(): void {
    const schedule = (ms: number) => {
      this.timer = setTimeout(() => {
        this.running = this.run()
          .catch((error: unknown) => log.warn('could not delete expired events', { error: (error as Error).message }))
          .finally(() => {
            if (!this.stopped) schedule(this.options.intervalMs ?? INTERVAL_MS);
          });
      }, ms);
      this.timer.unref();
    };
    schedule(this.options.firstRunMs ?? FIRST_RUN_MS);
  }

  /** Deletes every event older than the retention, batch by batch; answers how many. */
  async run(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.retentionDays * DAY_MS);
    const batchRows = this.options.batchRows ?? RETENTION_BATCH_ROWS;
    let total = 0;
    while (!this.stopped) {
      const deleted = await deleteEventsBefore(this.db.prisma, before, batchRows);
      total += deleted;
      if (deleted < batchRows) break;
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    if (total) log.info('expired events deleted', { events: total, olderThan: before.toISOString() });
    return total;
  }

  /** Stops the timer and waits for a run in progress to end (at its next batch). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
