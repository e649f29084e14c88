import type { Database } from '../db/database.js';

/** What every resolver gets: the database and the caller's account, already authenticated. */
export interface Context {
  db: Database;
  accountId: string;
}
