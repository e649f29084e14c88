// Where an import's time goes (bench:import with BENCH_BREAKDOWN=1). The database's part is
// taken from the floor's INSERT … SELECT on the service's own table, run in the import's batches
// (BATCH_ROWS rows a statement, so that statement triggers see what they see in an import; one
// statement of a million rows spills their transition tables to disk): the file is copied into a
// staging table once, then every row goes into an empty account with everything in place, and
// again with one part of the table taken away in a transaction that is rolled back (an index, a
// trigger, the foreign key, the generated column), so each part's cost is what the batches save
// without it. The events the import writes beside its contacts are measured the
// same way. Node's part is the CSV read and every row's checks, with no database at all.
import { createReadStream } from 'node:fs';
import pg from 'pg';
import { Prisma } from '../../src/db/generated/prisma/client.js';
import { insertEventRows } from '../../src/core/events/repository/events.js';
import { readCsv } from '../../src/core/imports/csv/reader.js';
import { type Column, readHeader } from '../../src/core/imports/csv/header.js';
import { readRow } from '../../src/core/imports/csv/row.js';
import { BATCH_ROWS } from '../../src/core/imports/import-file.js';
import { runPsql, STAGED_COLUMNS, STAGED_CONTACT } from './staging.js';

export interface BreakdownLine {
  part: string;
  seconds: number;
  /** The whole statement's time minus this run's: what the part costs (blank for the whole runs). */
  cost?: number;
}

/** A part of the table and the DDL that takes it away. */
const CONTACT_PARTS: [string, string][] = [
  ['primary key (id)', 'ALTER TABLE contacts DROP CONSTRAINT contacts_pkey CASCADE'],
  ['unique (account_id, email)', 'DROP INDEX contacts_account_id_email_key'],
  ['btree (account_id, created_at, id)', 'DROP INDEX contacts_account_id_created_at_id_idx'],
  ['btree (account_id, updated_at, id)', 'DROP INDEX contacts_account_id_updated_at_id_idx'],
  ['partial btree of the unsubscribed', 'DROP INDEX contacts_unsubscribed_idx'],
  ['trigram GIN of the search text', 'DROP INDEX contacts_search_trgm_idx'],
  ['GIN of the property terms', 'DROP INDEX contacts_property_terms_idx'],
  ['generated property_terms column, with its GIN', 'ALTER TABLE contacts DROP COLUMN property_terms'],
  ['foreign key to accounts (a check per row)', 'ALTER TABLE contacts DROP CONSTRAINT contacts_account_id_fkey'],
  ['contact-count trigger', 'ALTER TABLE contacts DISABLE TRIGGER contacts_count_insert'],
  ['property-keys trigger', 'ALTER TABLE contacts DISABLE TRIGGER contact_property_keys_insert'],
];
const EVENT_PARTS: [string, string][] = [
  ['events: primary key', 'ALTER TABLE events DROP CONSTRAINT events_pkey CASCADE'],
  ['events: feed btree (account_id, txid, seq)', 'DROP INDEX events_feed_idx'],
  ['events: contact btree (account_id, contact_id, txid, seq)', 'DROP INDEX events_contact_idx'],
  ['events: created_at btree', 'DROP INDEX events_created_at_idx'],
  ['events: foreign key to accounts', 'ALTER TABLE events DROP CONSTRAINT events_account_id_fkey'],
  ['events: statement trigger (NOTIFY, webhook fan-out)', 'ALTER TABLE events DISABLE TRIGGER events_written'],
];

export async function breakdown(url: string, file: string, accountId: string): Promise<BreakdownLine[]> {
  const lines: BreakdownLine[] = [{ part: 'Node: read the CSV and check every row (no database)', seconds: await parseOnly(file) }];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS bench_staging`);
    await client.query(
      `CREATE UNLOGGED TABLE bench_staging (n bigint GENERATED ALWAYS AS IDENTITY, ${STAGED_COLUMNS.map((column) => `${column} text`).join(', ')})`,
    );
    const copied = Date.now();
    runPsql(url, `\\copy bench_staging (${STAGED_COLUMNS.join(', ')}) FROM '${file}' WITH (FORMAT csv, HEADER true)`);
    lines.push({ part: '`COPY` of the file into an unlogged staging table', seconds: (Date.now() - copied) / 1000 });
    await client.query('CREATE INDEX ON bench_staging (n)');
    await client.query('VACUUM ANALYZE bench_staging');
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM bench_staging');
    const staged = Number(rows[0]!.count);

    const contacts = (from: number) => insertBatch(accountId, false, from);
    const withEvents = (from: number) => insertBatch(accountId, true, from);
    const timed = (ddl: string | null, statement: (from: number) => Prisma.Sql) => inBatches(client, ddl, statement, staged);
    const whole = await timed(null, contacts);
    lines.push({
      part: `the INSERT … SELECT into contacts in batches of ${BATCH_ROWS.toLocaleString('en')}, everything in place`,
      seconds: whole,
    });
    for (const [part, ddl] of CONTACT_PARTS) {
      const seconds = await timed(ddl, contacts);
      lines.push({ part: `  without the ${part}`, seconds, cost: whole - seconds });
    }
    const bare = await timed(CONTACT_PARTS.map(([, ddl]) => ddl).join('; '), contacts);
    lines.push({ part: '  without all of them (the heap alone)', seconds: bare, cost: whole - bare });

    const wholeWithEvents = await timed(null, withEvents);
    lines.push({
      part: 'the same with the events the import writes (one per contact)',
      seconds: wholeWithEvents,
      cost: whole - wholeWithEvents,
    });
    for (const [part, ddl] of EVENT_PARTS) {
      const seconds = await timed(ddl, withEvents);
      lines.push({ part: `  without the ${part}`, seconds, cost: wholeWithEvents - seconds });
    }
    await client.query('DROP TABLE bench_staging');
  } finally {
    await client.end();
  }
  return lines;
}

/** Reads and checks every row as an import does, and throws the rows away. */
async function parseOnly(file: string): Promise<number> {
  const started = Date.now();
  let columns: Column[] | null = null;
  let rows = 0;
  for await (const row of readCsv(createReadStream(file))) {
    if (!columns) {
      const header = readHeader(row.cells);
      if (!header.ok) throw new Error(header.message);
      columns = header.columns;
      continue;
    }
    if (readRow(row.cells, columns).ok) rows++;
  }
  if (rows === 0) throw new Error('no row of the file read as a contact');
  return (Date.now() - started) / 1000;
}

/** The floor's INSERT of a batch of staged rows as new contacts, optionally writing an event per contact in the same statement. */
function insertBatch(accountId: string, events: boolean, from: number): Prisma.Sql {
  const insert = Prisma.sql`
    INSERT INTO contacts AS c (id, account_id, email, first_name, last_name, properties, created_at, updated_at)
    SELECT new_id('ct'), ${accountId}, ${Prisma.raw(STAGED_CONTACT)}, now(), now()
    FROM bench_staging s WHERE s.n > ${from} AND s.n <= ${from + BATCH_ROWS}`;
  if (!events) return insert;
  const caller = { accountId, source: 'import' as const, apiKeyPrefix: null };
  return Prisma.sql`
    WITH written AS (${insert} RETURNING c.id, contact_json(c) AS data)
    ${insertEventRows(caller, Prisma.sql`SELECT 'contact.created', w.id, w.data, NULL::jsonb, NULL::text FROM written w`)}`;
}

/**
 * The batches' seconds with `ddl` run first, all in one transaction that is rolled back; the
 * tables are vacuumed after, so every run starts alike.
 */
async function inBatches(client: pg.Client, ddl: string | null, statement: (from: number) => Prisma.Sql, rows: number): Promise<number> {
  await client.query('CHECKPOINT');
  await client.query('BEGIN');
  let seconds: number;
  try {
    if (ddl) await client.query(ddl);
    const started = Date.now();
    for (let from = 0; from < rows; from += BATCH_ROWS) {
      const sql = statement(from);
      await client.query(sql.text, sql.values);
    }
    seconds = (Date.now() - started) / 1000;
  } finally {
    await client.query('ROLLBACK');
  }
  await client.query('VACUUM contacts, events, accounts');
  process.stderr.write(`breakdown: ${ddl ?? 'everything in place'}: ${seconds.toFixed(1)} s\n`);
  return seconds;
}
