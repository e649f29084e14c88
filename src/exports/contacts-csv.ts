// Contacts as CSV (SEMANTICS.md, CSV export): the fixed columns, then one column per property key
// found among the exported contacts, sorted by name. Rows are read in keyset pages over the
// (account, created_at, id) index, and each page's CSV text is built by the database in one
// string, so a million rows stream through in flat memory without a JavaScript object per row.
// Cells are quoted as RFC 4180 wants and formula-escaped as domain/csv/cells.ts explains.
import { Prisma, type PrismaClient } from '../db/generated/prisma/client.js';

export const EXPORT_COLUMNS = ['id', 'email', 'first_name', 'last_name', 'unsubscribed', 'created_at', 'updated_at'] as const;

const PAGE_ROWS = 10_000;

export interface ExportScope {
  accountId: string;
  /** An extra condition over `contacts c` (a segment's), or null for every contact. */
  condition: Prisma.Sql | null;
}

interface Page {
  text: string | null;
  rows: bigint | number;
  last_at: string | null;
  last_id: string | null;
}

/** Writes the whole CSV through write, page by page; write may wait (backpressure). Answers the row count. */
export async function writeContactsCsv(prisma: PrismaClient, scope: ExportScope, write: (text: string) => Promise<void> | void): Promise<number> {
  const keys = await propertyKeys(prisma, scope);
  // Property keys are letters, digits, "_" and "-" (rules.ts): no header cell needs quoting.
  await write(`${[...EXPORT_COLUMNS, ...keys].join(',')}\n`);
  let after: [string, string] | null = null;
  let total = 0;
  for (;;) {
    const [page]: Page[] = await prisma.$queryRaw<Page[]>(pageQuery(scope, keys, after));
    const rows = Number(page?.rows ?? 0);
    if (!page?.text || rows === 0) return total;
    await write(page.text);
    total += rows;
    if (rows < PAGE_ROWS) return total;
    after = [page.last_at!, page.last_id!];
  }
}

/** One page after the position `after`: its CSV text, its row count and its last position. */
function pageQuery(scope: ExportScope, keys: string[], after: [string, string] | null): Prisma.Sql {
  return Prisma.sql`
    WITH page AS (
      SELECT c.created_at, c.id, ${lineExpression(keys)} AS line FROM contacts c
      WHERE ${where(scope)} ${after ? Prisma.sql`AND (c.created_at, c.id) > (${after[0]}::timestamptz, ${after[1]})` : Prisma.empty}
      ORDER BY c.created_at, c.id LIMIT ${PAGE_ROWS}
    )
    SELECT string_agg(line, E'\\n' ORDER BY created_at, id) || E'\\n' AS text, count(*) AS rows,
           (SELECT ${isoTime(Prisma.sql`created_at`)} FROM page ORDER BY created_at DESC, id DESC LIMIT 1) AS last_at,
           (SELECT id FROM page ORDER BY created_at DESC, id DESC LIMIT 1) AS last_id
    FROM page`;
}

/** Every property key among the exported contacts, in code-point order. */
async function propertyKeys(prisma: PrismaClient, scope: ExportScope): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ key: string }[]>`
    SELECT DISTINCT jsonb_object_keys(c.properties) AS key FROM contacts c WHERE ${where(scope)}`;
  return rows.map((row) => row.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function where(scope: ExportScope): Prisma.Sql {
  return scope.condition ? Prisma.sql`c.account_id = ${scope.accountId} AND (${scope.condition})` : Prisma.sql`c.account_id = ${scope.accountId}`;
}

function isoTime(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * One CSV line per contact, as SQL: the same cells csvField(escapeCell(value)) would give. The
 * property cells come from one subquery over the keys (one array parameter), so the statement
 * stays the same size however many keys there are.
 */
function lineExpression(keys: string[]): Prisma.Sql {
  const fixed = [
    Prisma.sql`c.id`,
    safe(Prisma.sql`c.email`),
    safe(Prisma.sql`c.first_name`),
    safe(Prisma.sql`c.last_name`),
    Prisma.sql`CASE WHEN c.unsubscribed THEN 'true' ELSE 'false' END`,
    isoTime(Prisma.sql`c.created_at`),
    isoTime(Prisma.sql`c.updated_at`),
  ].map((cell) => Prisma.sql`coalesce(${cell}, '')`);
  if (keys.length === 0) return Prisma.join(fixed, ` || ',' || `);
  const properties = Prisma.sql`(SELECT string_agg(coalesce(${safe(Prisma.sql`(c.properties ->> k.key)`)}, ''), ',' ORDER BY k.ord)
    FROM unnest(${keys}::text[]) WITH ORDINALITY AS k(key, ord))`;
  return Prisma.join([...fixed, properties], ` || ',' || `);
}

/** Formula escape (a leading apostrophe), then RFC 4180 quoting; see domain/csv/cells.ts. */
function safe(value: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(CASE
    WHEN ${value} ~ '^([=+@-]|''[''=+@-])' THEN
      CASE WHEN ${value} ~ '[",\r\n]' THEN '"''' || replace(${value}, '"', '""') || '"' ELSE '''' || ${value} END
    WHEN ${value} ~ '[",\r\n]' THEN '"' || replace(${value}, '"', '""') || '"'
    ELSE ${value} END)`;
}
