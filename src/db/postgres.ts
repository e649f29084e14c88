import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DEFAULT_IMPORT_POOL_SIZE, DEFAULT_POOL_SIZE } from '../config.js';
import { log } from '../log.js';
import { type Database, DatabaseOpenError, QUERY_EVENTS, type SqlSession } from './driver.js';
import { PrismaClient } from './generated/prisma/client.js';
import { boundAnswers, type DatabaseTimeouts, poolTimeouts } from './timeouts.js';
import { pgTypes } from './timestamps.js';

/** How the service's connections show in pg_stat_activity (a DATABASE_URL's own application_name wins). */
export const APPLICATION_NAME = 'contacts-service';
export const IMPORTS_APPLICATION_NAME = 'contacts-service imports';

export async function openPostgres(
  url: string,
  timeouts: DatabaseTimeouts,
  { poolSize = DEFAULT_POOL_SIZE, importPoolSize = DEFAULT_IMPORT_POOL_SIZE } = {},
): Promise<Database> {
  const describe = redact(url);
  const pool = openPool(url, timeouts, poolSize, APPLICATION_NAME);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new DatabaseOpenError(
      `cannot connect to PostgreSQL at ${describe}: ${reason(error)}; check DATABASE_URL and that the server is running`,
    );
  }
  // Imports get a small pool of their own: however many run and however slowly their uploads
  // arrive, interactive requests keep every connection of theirs.
  const imports = onPool(openPool(url, timeouts, importPoolSize, IMPORTS_APPLICATION_NAME), { url, timeouts, describe }, null);
  return onPool(pool, { url, timeouts, describe }, imports);
}

function openPool(url: string, timeouts: DatabaseTimeouts, max: number, applicationName: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: applicationName, types: pgTypes, ...poolTimeouts(timeouts) });
  pool.on('connect', (client) => boundAnswers(client, timeouts));
  // An idle connection dropped by the server must not take the process down; the pool
  // replaces it on the next checkout and the failing request answers an error meanwhile.
  pool.on('error', (error) => log.warn('database connection lost', { error: error.message }));
  return pool;
}

/** The database on one pool; `imports` is the one for imports (null: this one is), closed with it. */
function onPool(
  pool: pg.Pool,
  { url, timeouts, describe }: { url: string; timeouts: DatabaseTimeouts; describe: string },
  imports: Database | null,
): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), log: QUERY_EVENTS });
  const db: Database = {
    prisma,
    describe,
    connections: pool.options.max,
    get forImports() {
      return imports ?? db;
    },
    withSession: (fn) => checkedOut(pool, (client) => fn(sessionOf(client))),
    transaction: (fn) =>
      checkedOut(pool, async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn(sessionOf(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }),
    listen: (channel, onMessage) => listenOn(url, timeouts, channel, onMessage),
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await imports?.close();
    },
  };
  return db;
}

const RELISTEN_MS = 1000;

/** LISTEN on a connection of its own (a pooled one would be handed to others), opened again when lost. */
async function listenOn(
  url: string,
  timeouts: DatabaseTimeouts,
  channel: string,
  onMessage: (payload: string) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeouts.connectMs });
    next.on('notification', (message) => {
      if (message.channel === channel) onMessage(message.payload ?? '');
    });
    next.on('error', (error) => {
      log.warn('database connection lost (event notifications)', { error: error.message });
      void next.end().catch(() => {});
      if (client === next) client = null;
      again();
    });
    await next.connect();
    await next.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
    if (closed) return void (await next.end());
    client = next;
  };
  const again = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(again);
    }, RELISTEN_MS);
    retry.unref();
  };
  await connect();
  return async () => {
    closed = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

/**
 * Runs fn on a connection of the pool. A connection lost meanwhile (a frozen server's, destroyed
 * by boundAnswers) emits 'error', which a checked-out client must listen for or the process
 * dies; its query fails on its own, and the pool is told to discard the connection.
 */
async function checkedOut<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => (lost = error);
  client.on('error', onError);
  try {
    return await fn(client);
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}

function sessionOf(client: pg.PoolClient): SqlSession {
  return {
    async query<Row>(sql: string, params: unknown[] = [], options?: { prepared?: boolean }) {
      const query = options?.prepared ? { name: statementName(sql), text: sql, values: params } : { text: sql, values: params };
      return (await client.query(query)).rows as Row[];
    },
    async exec(script: string) {
      await client.query(script);
    },
    async copyCsv(select, write) {
      // While write waits, the stream stops reading the socket and the server waits to send. A
      // COPY cannot be left half-read on a connection: after a failed write the rest is dropped.
      let failed = false;
      let failure: unknown;
      for await (const chunk of client.query(copyTo(`COPY (${select}) TO STDOUT WITH (FORMAT csv)`))) {
        if (failed) continue;
        try {
          await write(chunk as Buffer);
        } catch (error) {
          failed = true;
          failure = error;
        }
      }
      if (failed) throw failure;
    },
  };
}

const statementNames = new Map<string, string>();

/** The same name for the same text on every connection, so each prepares it once. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`));
  return name;
}

function redact(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname || parsed.searchParams.get('host')}:${parsed.port || 5432}${parsed.pathname}`;
}

function reason(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(reason).join(', ');
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
