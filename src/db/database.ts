// The one door to the database (see driver.ts for what it gives). Nothing outside src/db knows
// which back end it talks to.
import type { DatabaseConfig } from '../config.js';
import type { Database } from './driver.js';

export { type Database, DatabaseOpenError, type SqlSession } from './driver.js';

/** Loads only the back end in use: PGlite's WebAssembly build stays out of a PostgreSQL deployment. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.kind === 'postgres') return (await import('./postgres.js')).openPostgres(config.url);
  return (await import('./pglite.js')).openPglite(config.dataDir);
}
