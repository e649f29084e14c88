// Waking the live subscribers of an account when its events commit, on whichever instance: every
// change's NOTIFY (the account id as payload, sent in the change's transaction, so delivered at
// its commit) reaches each instance's one listener, which wakes that account's subscribers. They
// then read the feed after their own cursor, so a notification is only a hint: one missed (a
// lost connection), or one for events still held back behind an older running transaction, is
// caught by a poll every POLL_MS.
import type { Database } from '../../db/database.js';
import { EVENTS_CHANNEL } from './repository/events.js';

const POLL_MS = 1000;

export interface LiveSubscription {
  /** Resolves once there may be new events (at once if a notification came since the last call); false once stopped. */
  next(): Promise<boolean>;
  close(): void;
}

interface Waiter {
  pending: boolean;
  wake: (() => void) | null;
}

export class LiveEvents {
  private byAccount = new Map<string, Set<Waiter>>();
  private unlisten: (() => Promise<void>) | null = null;
  private stopped = false;

  constructor(
    private db: Database,
    private pollMs = POLL_MS,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(EVENTS_CHANNEL, (accountId) => {
      for (const waiter of this.byAccount.get(accountId) ?? []) this.poke(waiter);
    });
  }

  /** Ends every subscription (their streams complete), then stops listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const waiters of this.byAccount.values()) for (const waiter of waiters) this.poke(waiter);
    await this.unlisten?.();
  }

  subscribe(accountId: string): LiveSubscription {
    const waiter: Waiter = { pending: false, wake: null };
    const waiters = this.byAccount.get(accountId) ?? new Set();
    waiters.add(waiter);
    this.byAccount.set(accountId, waiters);
    return {
      next: async () => {
        if (!waiter.pending && !this.stopped) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.pollMs);
            waiter.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          waiter.wake = null;
        }
        waiter.pending = false;
        return !this.stopped;
      },
      close: () => {
        this.poke(waiter);
        waiters.delete(waiter);
        if (waiters.size === 0) this.byAccount.delete(accountId);
      },
    };
  }

  private poke(waiter: Waiter): void {
    waiter.pending = true;
    waiter.wake?.();
  }
}
