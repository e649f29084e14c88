// The one interface of set-based writers (batches of any size in a few statements): tagged SQL
// on a plain driver transaction, not through Prisma's query layer, which with parameter arrays of
// thousands of rows costs time and holds memory (~150 MB more peak RSS at 5000-row batches,
// measured). A transaction that loses a deadlock or serialization race (writers of overlapping
// contacts lock rows in whatever order their plans visit them) is run again, so such a race never
// reaches a client as an error.
import type { Database, SqlSession } from './database.js';
import { isTransientConflict } from './errors.js';
import { Prisma } from './generated/prisma/client.js';

/** Tagged raw SQL, as a Prisma client also has it (read-only callers may pass one). */
export interface RawSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
}

const ATTEMPTS = 4;

/**
 * Runs fn in one transaction, again (up to four times) when it loses a deadlock or a
 * serialization race. fn must be safe to run again: keep what it learns in its result, not in
 * state outside, as a whole transaction either commits or leaves nothing behind.
 */
export async function setTransaction<T>(db: Database, fn: (sql: RawSql) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((session) => fn(rawSql(session)));
    } catch (error) {
      if (attempt >= ATTEMPTS || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
    }
  }
}

function rawSql(session: SqlSession): RawSql {
  return {
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]) {
      const sql = Prisma.sql(strings, ...values);
      return (await session.query(sql.text, sql.values)) as T;
    },
  };
}

/**
 * Tagged SQL for a change made by one statement (with its events in a CTE of it): run on a
 * connection of the pool on its own, it commits by itself, with no BEGIN and COMMIT around it.
 */
export function singleStatement(db: Database): RawSql {
  return {
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]) {
      const sql = Prisma.sql(strings, ...values);
      return (await db.withSession((session) => session.query(sql.text, sql.values))) as T;
    },
  };
}
