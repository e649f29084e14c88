// Applies prisma/migrations the way `prisma migrate deploy` does, without Prisma's native engine:
// each pending migration in its own transaction, recorded in _prisma_migrations with the
// SHA-256 checksum of its file. A session-level advisory lock makes instances that start
// together take turns, so each migration is applied once.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../log.js';
import type { Database, SqlSession } from './database.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** An arbitrary constant shared by every instance: the key of the migration lock. */
const LOCK_KEY = 727_100_001;

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Applies what is pending; answers the names of the migrations it applied. */
export async function migrate(db: Database, migrations = readMigrations()): Promise<string[]> {
  return db.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      return await applyPending(session, migrations);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
  });
}

async function applyPending(session: SqlSession, migrations: Migration[]): Promise<string[]> {
  await session.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);

  const rows = await session.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
  );
  const recorded = new Map(rows.map((row) => [row.migration_name, row]));

  const applied: string[] = [];
  for (const migration of migrations) {
    const record = recorded.get(migration.name);
    if (record?.finished_at) {
      if (record.checksum !== migration.checksum) {
        log.warn('an applied migration was edited since it ran', { migration: migration.name });
      }
      continue;
    }
    if (record) {
      throw new Error(
        `migration ${migration.name} started earlier and did not finish; resolve it by hand (prisma migrate resolve) before starting again`,
      );
    }
    await apply(session, migration);
    applied.push(migration.name);
  }
  return applied;
}

async function apply(session: SqlSession, migration: Migration): Promise<void> {
  await session.exec('BEGIN');
  try {
    const id = randomUUID();
    await session.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
      id,
      migration.checksum,
      migration.name,
    ]);
    await session.exec(migration.sql);
    await session.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await session.exec('COMMIT');
    log.info('migration applied', { migration: migration.name });
  } catch (error) {
    await session.exec('ROLLBACK');
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${migration.name} failed and was rolled back: ${message}`, { cause: error });
  }
}
