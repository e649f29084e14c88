// The one door to the database (see driver.ts for what each back end gives). Nothing outside
// src/db knows which back end it talks to.
import { type DatabaseConfig, DEFAULT_TIMEOUTS } from '../config.js';
import type { Database as BackEnd, SqlSession } from './driver.js';
import type { PrismaClient } from './generated/prisma/client.js';

export { DatabaseOpenError, type SqlSession } from './driver.js';

export interface Database extends BackEnd {
  readonly forImports: Database;
  /**
   * Calls listener with the text of every statement run from now on, through Prisma and through
   * the driver's sessions alike (BEGIN and COMMIT of a driver transaction aside), so that a test
   * can count what a request costs. Answers a function that stops the calls.
   */
  onStatement(listener: (sql: string) => void): () => void;
}

/** Loads only the back end in use: PGlite's WebAssembly build stays out of a PostgreSQL deployment. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const backEnd =
    config.kind === 'postgres'
      ? await (await import('./postgres.js')).openPostgres(config.url, config.timeouts ?? DEFAULT_TIMEOUTS, config)
      : await (await import('./pglite.js')).openPglite(config.dataDir);
  const listeners = new Set<(sql: string) => void>();
  // The imports' database tells the same listeners: a test counts an import's statements too.
  const imports = backEnd.forImports === backEnd ? null : observed(backEnd.forImports, listeners, null);
  return observed(backEnd, listeners, imports);
}

/** The back end, telling listeners its statements; `imports` is its database for imports (null: itself). */
function observed(backEnd: BackEnd, listeners: Set<(sql: string) => void>, imports: Database | null): Database {
  const tell = (sql: string) => {
    for (const listener of listeners) listener(sql);
  };
  (backEnd.prisma as PrismaClient<'query'>).$on('query', (event) => tell(event.query));
  const watched = (session: SqlSession): SqlSession => ({
    query: (sql, params, options) => {
      tell(sql);
      return session.query(sql, params, options);
    },
    exec: (script) => {
      tell(script);
      return session.exec(script);
    },
    copyCsv: (select, write) => {
      tell(select);
      return session.copyCsv(select, write);
    },
  });
  const db: Database = {
    ...backEnd,
    get forImports() {
      return imports ?? db;
    },
    withSession: (fn) => backEnd.withSession((session) => fn(watched(session))),
    transaction: (fn) => backEnd.transaction((session) => fn(watched(session))),
    onStatement(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return db;
}
