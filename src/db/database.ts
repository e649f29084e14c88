// The one door to the database. Both back ends give the same three things: a Prisma client,
// a raw SQL session (for migrations, multi-statement scripts and locks), and a close.
// Nothing outside src/db knows which back end it talks to.
import type { DatabaseConfig } from '../config.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements, without parameters. */
  exec(script: string): Promise<void>;
}

export interface Database {
  prisma: PrismaClient;
  /** Runs fn on one connection held for its whole duration. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** For logs: where the data lives, without credentials. */
  describe: string;
  /** True on a database created by this very open (an empty embedded data directory). */
  fresh: boolean;
}

/** A failure to open the database, with a message meant for the operator. */
export class DatabaseOpenError extends Error {}

export function openDatabase(config: DatabaseConfig): Promise<Database> {
  return config.kind === 'postgres' ? openPostgres(config.url) : openPglite(config.dataDir);
}
