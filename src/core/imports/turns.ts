// An import's share of the one JavaScript thread. While an upload's bytes are already buffered,
// reading, parsing and checking its rows is a chain of promises that never waits on I/O, so it
// held the thread for up to 340 ms at a time (a CPU profile under bench:isolation) and every
// interactive request waited behind it. Each import now works in turns of TURN_MS, and between
// two turns lets every request that arrived meanwhile run first.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long an import works before the requests that arrived meanwhile run. */
export const TURN_MS = 5;

/** One import's turns: `over` once TURN_MS have passed since its turn began, `end` to let others run. */
export class Turns {
  private started: number;

  /** now: the clock, in milliseconds (the process's own, but for tests). */
  constructor(private readonly now = () => performance.now()) {
    this.started = now();
  }

  get over(): boolean {
    return this.now() - this.started >= TURN_MS;
  }

  /** Waits until pending I/O (other requests, other imports) has run, then begins the next turn. */
  async end(): Promise<void> {
    await nextTurn();
    this.started = this.now();
  }
}
