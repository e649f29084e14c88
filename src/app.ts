// The whole service: open the database, migrate it, serve HTTP. Used by `npm start` and by the tests.
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { createAccount, hasAccounts } from './core/accounts/service.js';
import { startHttpServer } from './http/server.js';
import { failAbandonedJobs } from './core/imports/service.js';
import { ImportRuntime } from './core/imports/import-runtime.js';
import { WebhookWorker } from './core/webhooks/service.js';
import { log } from './log.js';
import { EventRetention, LiveEvents } from './core/events/service.js';

export interface Service {
  db: Database;
  url: string;
  /** Set when this start created the embedded database's first account. */
  bootstrapKey: string | null;
  /** This instance's webhook delivery worker (started with the service). */
  webhooks: WebhookWorker;
  /** Stops taking requests, lets those in flight finish, closes the database. */
  stop(): Promise<void>;
}

export async function startService(config: Config): Promise<Service> {
  const db = await openDatabase(config.database);
  let liveEvents: LiveEvents | null = null;
  try {
    await migrate(db);
    await failAbandonedJobs(db);
    const bootstrapKey = config.database.kind === 'pglite' ? await bootstrapAccount(db) : null;
    const imports = new ImportRuntime(db, config.imports);
    imports.startSweeping();
    const webhooks = new WebhookWorker(db, config.webhooks);
    webhooks.start();
    const live = (liveEvents = new LiveEvents(db));
    await live.start();
    const retention = new EventRetention(db, config.eventRetentionDays);
    retention.start();
    const http = await startHttpServer(db, config, imports, live);
    log.info('listening', { url: `${http.url}/graphql`, database: db.describe });
    return {
      db,
      url: http.url,
      bootstrapKey,
      webhooks,
      async stop() {
        // Imports cut by the drain write their FAILED (saying the service stopped) before the pool closes.
        imports.stopping = true;
        // Subscriptions end first: their open streams would otherwise hold the drain.
        await live.stop();
        await http.close();
        // Attempts in flight end within their 15 s and record how they went; nothing new is claimed.
        await Promise.all([imports.stop(), webhooks.stop(), retention.stop()]);
        await db.close();
      },
    };
  } catch (error) {
    await liveEvents?.stop().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}

/** On an embedded database with no account yet, makes the default account and its first key. */
async function bootstrapAccount(db: Database): Promise<string | null> {
  if (await hasAccounts(db)) return null;
  const { apiKey } = await createAccount(db, 'Default account');
  return apiKey;
}
