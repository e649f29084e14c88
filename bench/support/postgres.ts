// The benchmarks' own PostgreSQL databases (never the tests' or anyone's data), and raw pg
// access to them for seeding and for the floor measurements.
import pg from 'pg';
import type { Prisma } from '../../src/db/generated/prisma/client.js';

/** A server where the benchmarks may create their databases. */
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL of database `name` on the admin server, created when missing (and kept). */
export async function ensureDatabase(name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs a statement built with Prisma.sql through plain pg: the same SQL, without Prisma. */
export async function runSql<Row extends pg.QueryResultRow = Record<string, unknown>>(
  client: pg.Pool | pg.PoolClient,
  sql: Prisma.Sql,
): Promise<Row[]> {
  return (await client.query<Row>(sql.text, sql.values)).rows;
}
