import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { type Database, DatabaseOpenError, QUERY_EVENTS, type SqlSession } from './database.js';
import { lockDataDir } from './data-dir-lock.js';
import { PrismaClient } from './generated/prisma/client.js';

/** The extensions the migrations use; PGlite loads them when it opens. */
const extensions = { pg_trgm };

export async function openPglite(dataDir: string): Promise<Database> {
  const dir = resolve(dataDir);
  prepareDir(dir);
  const unlock = lockDataDir(dir);

  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dir, { extensions });
  } catch (error) {
    unlock();
    const message = error instanceof Error ? error.message : String(error);
    throw new DatabaseOpenError(`cannot open the embedded database in ${dir}: ${message}`);
  }

  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), log: QUERY_EVENTS });
  const session: SqlSession = {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await pglite.query<Row>(sql, params)).rows;
    },
    async exec(script: string) {
      await pglite.exec(script);
    },
  };

  return {
    prisma,
    describe: `embedded PostgreSQL (PGlite) in ${dir}`,
    // PGlite is one connection, already shared by every caller.
    withSession: (fn) => fn(session),
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          query: async <Row>(sql: string, params: unknown[] = []) => (await tx.query<Row>(sql, params)).rows,
          exec: async (script: string) => void (await tx.exec(script)),
        }),
      ),
    async ping() {
      await pglite.query('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

/** Creates the directory if needed and checks that it is writable. */
function prepareDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new DatabaseOpenError(`DATA_DIR ${dir} is not a writable directory (${code}); set DATA_DIR to a directory this user can write`);
  }
}
