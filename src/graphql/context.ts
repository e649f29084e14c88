import type { Caller, LiveEvents } from '../core/events/service.js';
import type { Database } from '../db/database.js';
import type { ImportRuntime } from '../core/imports/import-runtime.js';
import type { WebhookSettings } from '../core/webhooks/settings.js';

/** What every resolver gets: the database and the caller's account, already authenticated. */
export interface Context {
  db: Database;
  accountId: string;
  /** Who makes the changes (source graphql; an import's is import), for the events. */
  caller: Caller;
  /** EVENT_RETENTION_DAYS: a feed cursor older than this is refused. */
  eventRetentionDays: number;
  /** Wakes the events subscription when the account's events commit. */
  liveEvents: LiveEvents;
  /** SHA-256 of the caller's API key (an import runs only while it is live). */
  keyHash: string;
  imports: ImportRuntime;
  /** WEBHOOK_* settings: whether endpoints may be on private networks. */
  webhooks: WebhookSettings;
}
