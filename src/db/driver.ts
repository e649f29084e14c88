// What both back ends give (postgres.ts, pglite.ts): a Prisma client, a raw SQL session (for
// migrations, multi-statement scripts, locks and set-based batches), and a close.
import type { PrismaClient } from './generated/prisma/client.js';

export interface SqlSession {
  /**
   * One statement. `prepared`: run it as a named prepared statement, parsed and planned once per
   * connection (PostgreSQL; PGlite has one connection and ignores it) — only for statements whose
   * text comes from a small fixed set, as each distinct text stays prepared on every connection.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[], options?: { prepared?: boolean }): Promise<Row[]>;
  /** Runs a script of several statements, without parameters. */
  exec(script: string): Promise<void>;
  /**
   * The rows of a query as CSV without a header, written by the database (COPY … TO; see
   * copy-out.ts), handed to write chunk by chunk; the next chunk is read once write has resolved.
   * PostgreSQL streams them; PGlite answers a COPY whole, so there it is one chunk, handed over
   * when the transaction it was read in has ended.
   */
  copyCsv(select: string, write: (chunk: Buffer) => Promise<void> | void): Promise<void>;
}

export interface Database {
  prisma: PrismaClient;
  /** Runs fn on one connection held for its whole duration. */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs fn in one transaction on a connection of its own (PGlite: holding the instance, so that
   * no other query lands inside it); commits, or rolls back when fn throws. For bulk statements
   * that need no Prisma model: the CSV import's batches.
   */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Calls onMessage with the payload of every NOTIFY on `channel`, from any connection to the
   * database (any instance); answers a function that stops listening. PostgreSQL listens on a
   * connection of its own, opened again if it is lost (notifications sent meanwhile are missed:
   * listeners must not depend on every one).
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** For logs: where the data lives, without credentials. */
  describe: string;
  /** How many transactions it runs at once: its pool's connections (PGlite: one). */
  readonly connections: number;
  /**
   * The same database for imports: on PostgreSQL a pool of its own (IMPORT_POOL_SIZE connections,
   * application_name "contacts-service imports"), so that imports cannot take the connections of
   * interactive requests; on PGlite, one connection anyway, this database itself.
   */
  readonly forImports: Database;
}

/** Prisma emits an event per SQL statement, so a test can count what one request costs. */
export const QUERY_EVENTS: [{ emit: 'event'; level: 'query' }] = [{ emit: 'event', level: 'query' }];

/** A failure to open the database, with a message meant for the operator. */
export class DatabaseOpenError extends Error {}
