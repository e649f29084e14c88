// Reads on the driver itself, for the hot paths (a page of contacts, a count): the statement
// Prisma.sql built, without the Prisma client's runtime around it (which cost a page request
// about a fifth of its CPU), mapped by the caller as every other raw reader does.
import type { Database } from './database.js';
import type { Prisma } from './generated/prisma/client.js';

/** The rows of one statement, run on a connection of the pool (PGlite: the instance). */
export function readRows<Row>(db: Database, sql: Prisma.Sql): Promise<Row[]> {
  return db.withSession((session) => session.query<Row>(sql.text, sql.values));
}
