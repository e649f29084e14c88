// Listing, counting and searching an account's contacts in SQL. User text only ever travels as a
// parameter; the only SQL spliced in is constant (columns, directions) or a segment's compiled
// condition (segments/repository/condition.ts).
import type { Database } from '../../../db/database.js';
import type { Contact } from '../../../db/generated/prisma/client.js';
import { Prisma } from '../../../db/generated/prisma/client.js';
import { readRows } from '../../../db/read.js';
import type { SegmentMembers } from '../../segments/definition.js';
import { membersCondition } from '../../segments/repository/condition.js';
import {
  ALWAYS_READ,
  CONTACT_COLUMNS,
  type ContactField,
  contactColumns,
  type ContactRow,
  type PartialContact,
  type PartialContactRow,
  toContact,
  toPartialContact,
} from './rows.js';
import { type Direction, type KeysetOrder, type KeysetWindow, keysetClauses, type Position } from '../../../db/keyset.js';

export interface ContactFilter {
  accountId: string;
  /** Case-insensitive substring of the email, first name, last name or "first last". */
  search?: string | null;
  /** true: only subscribed contacts; false: only unsubscribed ones. */
  subscribed?: boolean | null;
  /** Only the members of this segment. */
  segment?: SegmentMembers | null;
}

export type ContactOrderField = 'CREATED_AT' | 'UPDATED_AT' | 'EMAIL';
export interface ContactOrder {
  field: ContactOrderField;
  direction: Direction;
}
export const DEFAULT_CONTACT_ORDER: ContactOrder = { field: 'CREATED_AT', direction: 'DESC' };

const SORT_COLUMNS = {
  CREATED_AT: {
    column: Prisma.sql`c.created_at`,
    field: 'createdAt',
    type: 'timestamptz',
    valueOf: (contact: Contact) => contact.createdAt.toISOString(),
  },
  UPDATED_AT: {
    column: Prisma.sql`c.updated_at`,
    field: 'updatedAt',
    type: 'timestamptz',
    valueOf: (contact: Contact) => contact.updatedAt.toISOString(),
  },
  EMAIL: { column: Prisma.sql`c.email`, field: 'email', type: 'text', valueOf: (contact: Contact) => contact.email },
} as const;

function keysetOrder({ field, direction }: ContactOrder): KeysetOrder {
  return { column: SORT_COLUMNS[field].column, id: Prisma.sql`c.id`, type: SORT_COLUMNS[field].type, direction };
}

/** Where a contact stands in a list in this order: what a cursor holds (a page's contacts hold it, whole or not). */
export function contactPosition(order: ContactOrder, contact: Contact): Position {
  return [SORT_COLUMNS[order.field].valueOf(contact), contact.id];
}

/** Whether a position can stand in a list in this order (a cursor of another order may not). */
export function fitsOrder(order: ContactOrder, [value]: Position): boolean {
  return SORT_COLUMNS[order.field].type === 'text' || (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)));
}
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The search term as an ILIKE pattern: the term's own %, _ and \ match only themselves. */
function searchPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

function filterConditions(filter: ContactFilter): Prisma.Sql {
  const conditions = [Prisma.sql`c.account_id = ${filter.accountId}`];
  const term = filter.search?.trim();
  // The same expression as the trigram index contacts_search_trgm_idx, so the index serves it.
  if (term) conditions.push(Prisma.sql`contact_search_text(c.email, c.first_name, c.last_name) ILIKE ${searchPattern(term)}`);
  // Constant SQL rather than a parameter, so the planner matches the partial index on unsubscribed.
  if (filter.subscribed != null) conditions.push(filter.subscribed ? Prisma.sql`NOT c.unsubscribed` : Prisma.sql`c.unsubscribed`);
  if (filter.segment) conditions.push(Prisma.sql`(${membersCondition(filter.segment)})`);
  return Prisma.join(conditions, ' AND ');
}

// The statements are built apart from running them, so the benchmark can time the same SQL
// through plain pg as the floor of what the service adds.

/**
 * The fields a page's reader needs, when it needs only some (a GraphQL selection). A page then
 * leaves out the columns costly to send and read, the jsonb properties and the timestamps, when
 * none of their group is needed (a first page of id, email and names took an eighth less CPU,
 * measured with bench:side-by-side). Whole groups only, so that a page's statement text stays
 * one of a few (each is prepared on every connection).
 */
export type ContactFields = ReadonlySet<ContactField>;

const READ_TOGETHER: ContactField[][] = [['properties'], ['unsubscribedAt', 'createdAt', 'updatedAt']];

/** The columns a page reads: every one, or those fields need and the order's own (for cursors). */
function pageColumns(order: ContactOrder, fields: ContactFields | undefined): Prisma.Sql {
  if (!fields) return CONTACT_COLUMNS;
  const read: ContactField[] = [...ALWAYS_READ, SORT_COLUMNS[order.field].field];
  for (const group of READ_TOGETHER) if (group.some((field) => fields.has(field))) read.push(...group);
  return contactColumns(read);
}

/** One keyset page: `limit` rows, in window order. */
export function keysetPageSql(filter: ContactFilter, order: ContactOrder, window: KeysetWindow, fields?: ContactFields): Prisma.Sql {
  const { where, orderBy, limit } = keysetClauses(keysetOrder(order), window);
  return Prisma.sql`SELECT ${pageColumns(order, fields)} FROM contacts c
    WHERE ${filterConditions(filter)} AND ${where}
    ORDER BY ${orderBy} LIMIT ${limit}`;
}

/** One numbered page: offset paging, for clients that want page numbers. */
export function offsetPageSql(filter: ContactFilter, order: ContactOrder, offset: number, limit: number): Prisma.Sql {
  const { orderBy } = keysetClauses(keysetOrder(order), { limit });
  return Prisma.sql`SELECT ${CONTACT_COLUMNS} FROM contacts c
    WHERE ${filterConditions(filter)}
    ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}`;
}

/**
 * The exact number of contacts the filter selects. Without search or segment it needs no scan:
 * all of them is the account's kept count, the subscribed ones are that minus the unsubscribed
 * ones, which contacts_unsubscribed_idx counts (both read in one snapshot, so the difference is exact).
 */
export function countSql(filter: ContactFilter): Prisma.Sql {
  const plain = !filter.search?.trim() && !filter.segment;
  if (plain && filter.subscribed == null) return Prisma.sql`SELECT contact_count AS count FROM accounts WHERE id = ${filter.accountId}`;
  if (plain && filter.subscribed) {
    return Prisma.sql`SELECT a.contact_count - (SELECT count(*) FROM contacts c WHERE c.account_id = a.id AND c.unsubscribed) AS count
      FROM accounts a WHERE a.id = ${filter.accountId}`;
  }
  return Prisma.sql`SELECT count(*) AS count FROM contacts c WHERE ${filterConditions(filter)}`;
}

/**
 * Without a segment or a search, a page's statement text is one of a few (orders, subscription
 * filter, window forms) and its best plan does not hang on its values, so it is prepared once per
 * connection. A segment's compiled rules would make texts without bound, and a search's plan
 * depends on its pattern.
 */
const prepared = (filter: ContactFilter) => ({ prepared: !filter.segment && !filter.search?.trim() });

export async function listContacts(db: Database, filter: ContactFilter, order: ContactOrder, window: KeysetWindow): Promise<Contact[]> {
  return (await readRows<ContactRow>(db, keysetPageSql(filter, order, window), prepared(filter))).map(toContact);
}

/** The same page, reading only what `fields` needs (see ContactFields). */
export async function listPartialContacts(
  db: Database,
  filter: ContactFilter,
  order: ContactOrder,
  window: KeysetWindow,
  fields: ContactFields,
): Promise<PartialContact[]> {
  return (await readRows<PartialContactRow>(db, keysetPageSql(filter, order, window, fields), prepared(filter))).map(toPartialContact);
}

export async function listContactsByOffset(
  db: Database,
  filter: ContactFilter,
  order: ContactOrder,
  offset: number,
  limit: number,
): Promise<Contact[]> {
  return (await readRows<ContactRow>(db, offsetPageSql(filter, order, offset, limit), prepared(filter))).map(toContact);
}

/** pg answers bigint as text, PGlite as a bigint: both are exact below 2^53. */
export async function countContacts(db: Database, filter: ContactFilter): Promise<number> {
  const [row] = await readRows<{ count: bigint | number | string }>(db, countSql(filter), prepared(filter));
  return Number(row?.count ?? 0);
}
