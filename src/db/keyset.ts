// Keyset ("seek") paging in SQL: a page is the rows after (or before) a (sort value, id) pair,
// so deep pages cost what the first costs, and rows added meanwhile never shift a page.
import { Prisma } from './generated/prisma/client.js';

export type Direction = 'ASC' | 'DESC';

export interface KeysetOrder {
  /** The sort column, qualified (trusted SQL, never user text). */
  column: Prisma.Sql;
  /** The unique tie-breaker, qualified. */
  id: Prisma.Sql;
  /** How a cursor's sort value is cast back to the column's type. */
  type: 'timestamptz' | 'text';
  direction: Direction;
}

/** A position in a list: the sort value (as text) and the id of a row. */
export type Position = readonly [value: string, id: string];

export interface KeysetWindow {
  after?: Position | null;
  before?: Position | null;
  limit: number;
  /** Read from the end: used for `last`; the caller reverses the rows. */
  inverted?: boolean;
}

/** The WHERE conditions (joined with AND, or TRUE), ORDER BY and LIMIT of one page. */
export function keysetClauses(order: KeysetOrder, window: KeysetWindow): { where: Prisma.Sql; orderBy: Prisma.Sql; limit: number } {
  const conditions: Prisma.Sql[] = [];
  const forward = order.direction === 'DESC' ? '<' : '>';
  const backward = order.direction === 'DESC' ? '>' : '<';
  if (window.after) conditions.push(compare(order, forward, window.after));
  if (window.before) conditions.push(compare(order, backward, window.before));

  const direction = window.inverted ? flip(order.direction) : order.direction;
  const dir = Prisma.raw(direction);
  return {
    where: conditions.length ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`,
    orderBy: Prisma.sql`${order.column} ${dir}, ${order.id} ${dir}`,
    limit: window.limit,
  };
}

function compare(order: KeysetOrder, operator: '<' | '>', [value, id]: Position): Prisma.Sql {
  const cast = order.type === 'timestamptz' ? Prisma.sql`${value}::timestamptz` : Prisma.sql`${value}::text`;
  return Prisma.sql`(${order.column}, ${order.id}) ${Prisma.raw(operator)} (${cast}, ${id}::text)`;
}

function flip(direction: Direction): Direction {
  return direction === 'ASC' ? 'DESC' : 'ASC';
}
