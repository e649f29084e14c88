import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { type Database, DatabaseOpenError, QUERY_EVENTS, type SqlSession } from './driver.js';
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
  const session = sessionOf(pglite);

  const db: Database = {
    prisma,
    describe: `embedded PostgreSQL (PGlite) in ${dir}`,
    connections: 1,
    get forImports() {
      return db;
    },
    // PGlite is one connection, already shared by every caller.
    withSession: (fn) => fn(session),
    async transaction(fn) {
      // What a COPY inside hands out waits for the end of the transaction (see sessionOf).
      const handOver: (() => Promise<void> | void)[] = [];
      const result = await pglite.transaction((tx) => fn(sessionOf(tx, handOver)));
      for (const give of handOver) await give();
      return result;
    },
    async listen(channel, onMessage) {
      const unlisten = await pglite.listen(channel, onMessage);
      return () => unlisten();
    },
    async ping() {
      await pglite.query('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
  return db;
}

/**
 * The instance itself, or one of its transactions. A COPY's rows are handed to their writer once
 * the transaction has ended (handOver), never inside it: a writer that waits (for a slow client)
 * would otherwise hold the one connection every other request needs.
 */
function sessionOf(queryable: PGlite | Transaction, handOver: (() => Promise<void> | void)[] | null = null): SqlSession {
  return {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await queryable.query<Row>(sql, params)).rows;
    },
    async exec(script: string) {
      await queryable.exec(script);
    },
    async copyCsv(select, write) {
      // PGlite has no client stream: COPY writes to the virtual file /dev/blob, answered whole.
      const { blob } = await queryable.query(`COPY (${select}) TO '/dev/blob' WITH (FORMAT csv)`);
      if (!blob || blob.size === 0) return;
      const rows = Buffer.from(await blob.arrayBuffer());
      if (handOver) handOver.push(() => write(rows));
      else await write(rows);
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
