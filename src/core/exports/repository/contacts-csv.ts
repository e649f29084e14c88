// Contacts as CSV (SEMANTICS.md, CSV export): the fixed columns, then one column per property key
// found among the exported contacts, sorted by name. The database writes the CSV itself (COPY,
// see db/copy-out.ts), a page of rows at a time over the (account, created_at, id) index, and the
// next pages are already being read while one goes out. Each page read ahead holds at most
// READ_AHEAD_BYTES (read-ahead.ts), so memory stays flat however long the export and however wide
// its rows, and Node only passes bytes along.
import type { Database } from '../../../db/database.js';
import { copyStatement } from '../../../db/copy-out.js';
import { Prisma } from '../../../db/generated/prisma/client.js';
import type { SegmentMembers } from '../../segments/definition.js';
import { membersCondition } from '../../segments/repository/condition.js';
import { ReadAhead } from '../read-ahead.js';

export const EXPORT_COLUMNS = ['id', 'email', 'first_name', 'last_name', 'unsubscribed', 'created_at', 'updated_at'] as const;

const PAGE_ROWS = 40_000;

export interface ExportScope {
  accountId: string;
  /** Only the members of this segment; null for every contact of the account. */
  segment: SegmentMembers | null;
}

/** A row's place in the export's order. */
interface Position {
  created_at: string;
  id: string;
}

/** A page: the rows after `from` up to and including `to` (null: from the start, to the end). */
interface PageRange {
  from: Position | null;
  to: Position | null;
}

/**
 * Pages in the air: one being sent while two are read, so that the database keeps two cores busy
 * even while the client takes its time (a million rows in pages of 10,000: 1 → 7 s, 2 → 5 s, 3 →
 * 4 s; pages of 40,000 take another 20% off).
 */
const PAGES_IN_FLIGHT = 3;
/** Page ends found per walk of the index. */
const RANGES_PER_WALK = 8;
/**
 * What a page read ahead may hold before its turn: a page of ordinary rows (40,000 of ~150 bytes)
 * fits whole, and its connection is free again at once; a page of wide rows waits, its read
 * paused, holding its connection until the client has taken the pages before it.
 */
const READ_AHEAD_BYTES = 8 * 1024 * 1024;

/** Writes the whole CSV through write, page by page and in order; write may wait (backpressure). */
export async function writeContactsCsv(
  db: Database,
  scope: ExportScope,
  write: (chunk: string | Buffer) => Promise<void> | void,
  pageRows = PAGE_ROWS,
  readAheadBytes = READ_AHEAD_BYTES,
): Promise<void> {
  const keys = await propertyKeys(db, scope);
  // Property keys are letters, digits, "_" and "-" (contacts/rules.ts): no header cell needs quoting.
  await write(`${[...EXPORT_COLUMNS, ...keys].join(',')}\n`);
  const reading: { ahead: ReadAhead; read: Promise<void> }[] = [];
  const sendNext = async () => {
    // The page stays listed until it is sent, so that a failure discards it too.
    await reading[0]!.ahead.sendTo(write);
    await reading[0]!.read;
    reading.shift();
  };
  try {
    for await (const range of pageRanges(db, scope, pageRows)) {
      const ahead = new ReadAhead(readAheadBytes);
      const read = readPage(db, scope, keys, range, ahead.push);
      // A page may fail while an earlier one is sent, or after the client went away: it is
      // handled from the start (an unhandled rejection would end the process), and its error
      // still reaches the export when its turn comes.
      read.catch(() => {});
      reading.push({ ahead, read });
      if (reading.length === PAGES_IN_FLIGHT) await sendNext();
    }
    while (reading.length > 0) await sendNext();
  } finally {
    // Pages whose turn will not come run to their end without keeping anything.
    for (const page of reading) page.ahead.discard();
  }
}

/**
 * The export's pages, in order. Their ends are found ahead, a few at a time, by a walk of the
 * (account, created_at, id) index; every contact there at the start of the export falls in
 * exactly one page, whatever is written meanwhile.
 */
async function* pageRanges(db: Database, scope: ExportScope, pageRows: number): AsyncGenerator<PageRange> {
  let from: Position | null = null;
  for (;;) {
    const sql: Prisma.Sql = Prisma.sql`
      SELECT ${isoTime(Prisma.sql`created_at`)} AS created_at, id FROM (
        SELECT c.created_at, c.id, row_number() OVER (ORDER BY c.created_at, c.id) AS n
        FROM contacts c WHERE ${where(scope)} ${after(from)} ORDER BY c.created_at, c.id LIMIT ${pageRows * RANGES_PER_WALK}
      ) page WHERE n % ${pageRows} = 0 ORDER BY n`;
    const ends = await query<Position>(db, sql);
    for (const to of ends) {
      yield { from, to };
      from = to;
    }
    if (ends.length < RANGES_PER_WALK) break;
  }
  yield { from, to: null };
}

/** The page's rows as CSV, written by the database (COPY), chunk by chunk into push. */
async function readPage(
  db: Database,
  scope: ExportScope,
  keys: string[],
  range: PageRange,
  push: (chunk: Buffer) => Promise<void>,
): Promise<void> {
  // The bounds name created_at on both sides, so the planner sees a narrow range and walks the
  // index in order; the subquery (fenced by OFFSET 0) reads each property once per row, however
  // many times its cell's expression names it.
  const from = range.from ?? { created_at: '-infinity', id: '' };
  const to = range.to ?? { created_at: 'infinity', id: '' };
  const { settings, select } = copyStatement(Prisma.sql`
    SELECT ${lineCells(keys)} FROM (
      SELECT c.id, c.email, c.first_name, c.last_name, c.unsubscribed, c.created_at, c.updated_at ${propertyColumns(keys)}
      FROM contacts c
      WHERE ${where(scope)} AND c.created_at BETWEEN ${from.created_at}::timestamptz AND ${to.created_at}::timestamptz
        AND (c.created_at, c.id) > (${from.created_at}::timestamptz, ${from.id}::text)
        AND (c.created_at, c.id) <= (${to.created_at}::timestamptz, ${to.id}::text)
      ORDER BY c.created_at, c.id OFFSET 0
    ) c`);
  await db.transaction(async (session) => {
    await session.query(settings.text, settings.values);
    await session.copyCsv(select, push);
  });
}

/**
 * Every property key among the exported contacts, in code-point order: the whole account's are
 * counted as contacts are written (contact_property_keys); a segment's are read off its members.
 */
async function propertyKeys(db: Database, scope: ExportScope): Promise<string[]> {
  const sql = scope.segment
    ? Prisma.sql`SELECT DISTINCT jsonb_object_keys(c.properties) AS key FROM contacts c WHERE ${where(scope)}`
    : Prisma.sql`SELECT key FROM contact_property_keys WHERE account_id = ${scope.accountId} AND contacts > 0`;
  const rows = await query<{ key: string }>(db, sql);
  return rows.map((row) => row.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function query<Row>(db: Database, sql: Prisma.Sql): Promise<Row[]> {
  return db.withSession((session) => session.query<Row>(sql.text, sql.values));
}

/** The scope's contacts. Every parameter carries its cast, as COPY needs. */
function where(scope: ExportScope): Prisma.Sql {
  const account = Prisma.sql`c.account_id = ${scope.accountId}::text`;
  return scope.segment ? Prisma.sql`${account} AND (${membersCondition(scope.segment)})` : account;
}

function after(position: Position | null): Prisma.Sql {
  return position ? Prisma.sql`AND (c.created_at, c.id) > (${position.created_at}::timestamptz, ${position.id}::text)` : Prisma.empty;
}

/** The property values, in key order, as columns p0, p1, … (names of ours; the keys are parameters). */
function propertyColumns(keys: string[]): Prisma.Sql {
  const columns = keys.map((key, index) => Prisma.sql`, c.properties ->> ${key}::text AS ${Prisma.raw(`p${index}`)}`);
  return columns.length > 0 ? Prisma.join(columns, '') : Prisma.empty;
}

/** One CSV row's cells over the page's columns; COPY quotes them as RFC 4180 wants (a NULL is an empty cell). */
function lineCells(keys: string[]): Prisma.Sql {
  return Prisma.join([
    Prisma.sql`c.id`,
    safe(Prisma.sql`c.email`),
    safe(Prisma.sql`c.first_name`),
    safe(Prisma.sql`c.last_name`),
    Prisma.sql`CASE WHEN c.unsubscribed THEN 'true' ELSE 'false' END`,
    isoTime(Prisma.sql`c.created_at`),
    isoTime(Prisma.sql`c.updated_at`),
    ...keys.map((_, index) => safe(Prisma.raw(`c.p${index}`))),
  ]);
}

function isoTime(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * A formula-safe cell (imports/csv/cells.ts undoes it on import): an apostrophe before a cell that
 * begins with = + - @, or with an apostrophe followed by one of those or another apostrophe. Code
 * points, because ascii() is the cheapest look at a first character; an empty string is an empty
 * cell.
 */
function safe(value: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ascii(${value}) IN (61, 43, 45, 64) OR (ascii(${value}) = 39 AND ascii(substr(${value}, 2, 1)) IN (39, 61, 43, 45, 64))
    THEN '''' || ${value} ELSE nullif(${value}, '') END`;
}
