// The database's side of an import, read from PostgreSQL's own log (bench:import with
// BENCH_STATEMENT_LOG=<the server's log file>): the bench database logs every statement's
// duration (log_min_duration_statement = 0, for the service's new connections only), and the
// durations the server wrote while one measurement ran are summed by kind of statement. What
// the import's wall time has beyond them is the service's own: reading and checking rows,
// building batches, and the wire.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import pg from 'pg';

/** Every statement's parse, bind and execute, logged with its duration from the next connection on. */
export async function logStatements(url: string, on: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Not the parameters (log_parameter_max_length): a batch's arrays would write megabytes per statement.
    for (const setting of ['log_min_duration_statement', 'log_parameter_max_length']) {
      await client.query(`ALTER DATABASE "${client.database}" ${on ? `SET ${setting} = 0` : `RESET ${setting}`}`);
    }
  } finally {
    await client.end();
  }
}

/** What a statement is, from its text: the import's statements by what they do. */
const KINDS: [string, RegExp][] = [
  ['INSERT of a batch (new contacts, their events)', /written AS \(\s*INSERT INTO contacts/],
  ['UPDATE of a batch (known contacts, their events)', /old AS \(/],
  ['which emails an earlier batch wrote', /updated_at >= /],
  ['the key still live', /api_keys/],
  ['the job: counts and row errors', /import_jobs|import_row_errors/],
  ['ANALYZE', /^ANALYZE/],
  ['COMMIT', /^COMMIT/],
  ['BEGIN', /^BEGIN/],
];

export interface StatementTimes {
  /** Milliseconds by kind, and by phase (parse, bind, execute) within it. */
  byKind: Map<string, { parse: number; bind: number; execute: number; count: number }>;
}

/** The log file's size now: where the next measurement's lines begin. */
export function logOffset(file: string): number {
  return statSync(file).size;
}

/** Sums the durations logged since `offset`. */
export function statementTimes(file: string, offset: number): StatementTimes {
  const text = readFrom(file, offset);
  const byKind: StatementTimes['byKind'] = new Map();
  const line = /duration: ([\d.]+) ms {2}(parse|bind|execute|statement)[^:]*: ([^\n]*(?:\n\t[^\n]*)*)/g;
  for (const match of text.matchAll(line)) {
    const [, ms, phase, statement] = match as unknown as [string, string, string, string];
    const sql = statement.trim();
    const kind = KINDS.find(([, pattern]) => pattern.test(sql))?.[0] ?? 'other';
    const sums = byKind.get(kind) ?? { parse: 0, bind: 0, execute: 0, count: 0 };
    const key = phase === 'statement' ? 'execute' : (phase as 'parse' | 'bind' | 'execute');
    sums[key] += Number(ms);
    if (key === 'execute') sums.count++;
    byKind.set(kind, sums);
  }
  return { byKind };
}

function readFrom(file: string, offset: number): string {
  const size = statSync(file).size - offset;
  const buffer = Buffer.alloc(Math.max(0, size));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}
