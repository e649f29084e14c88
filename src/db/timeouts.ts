// Bounds on every wait for PostgreSQL, so that a database in trouble is a quick 503 rather than
// a request that hangs (issue 11). Three waits: for a connection (pg-pool's
// connectionTimeoutMillis, which also bounds the wait for a free pool slot), for a statement the
// server runs (statement_timeout, enforced by the server), and for an answer at all: a frozen
// server (a failover in progress, a stopped backend) enforces nothing, so a statement with no
// answer a little after its timeout has its connection destroyed here, and the pool opens a new
// one for the next request.
import type pg from 'pg';

export interface DatabaseTimeouts {
  /** DATABASE_CONNECT_TIMEOUT_MS */
  connectMs: number;
  /** DATABASE_STATEMENT_TIMEOUT_MS; 0 turns both statement bounds off. */
  statementMs: number;
}

/** How long after the server's own timeout the client gives up on hearing from it. */
const ANSWER_GRACE_MS = 2000;

export const NO_ANSWER_MESSAGE = 'no answer from the database';

/** The pool options that carry the timeouts. */
export function poolTimeouts({ connectMs, statementMs }: DatabaseTimeouts): pg.PoolConfig {
  return { connectionTimeoutMillis: connectMs, ...(statementMs ? { statement_timeout: statementMs } : {}) };
}

/**
 * Makes each statement of a new pool client destroy its connection when no answer comes within
 * the statement timeout and a grace. A COPY stream (a Submittable: the export) is left alone:
 * it may rightly run as long as its client reads.
 */
export function boundAnswers(client: pg.PoolClient, { statementMs }: DatabaseTimeouts): void {
  if (!statementMs) return;
  const waitMs = statementMs + ANSWER_GRACE_MS;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof (args[0] as { submit?: unknown })?.submit === 'function') return query(...args);
    const timer = setTimeout(() => {
      const stream = (client as unknown as { connection?: { stream?: { destroy(error?: Error): void } } }).connection?.stream;
      stream?.destroy(new Error(`${NO_ANSWER_MESSAGE} within ${waitMs} ms`));
    }, waitMs);
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...results: unknown[]) => void;
      args[last] = (...results: unknown[]) => {
        clearTimeout(timer);
        callback(...results);
      };
      return query(...args);
    }
    const result = query(...args) as Promise<unknown>;
    result.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    return result;
  };
}
