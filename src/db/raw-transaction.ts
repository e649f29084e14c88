// The import's batches run on a plain driver transaction (Database.transaction), not through
// Prisma: with parameter arrays of thousands of rows, Prisma's query layer costs time and holds
// memory (~150 MB more peak RSS at 5000-row batches, measured), and the batch statements need
// nothing from it. The SQL stays the same tagged Prisma.sql templates: this gives them the two
// methods they call, with the statement's own text and values.
import type { SqlSession } from './database.js';
import { Prisma } from './generated/prisma/client.js';
import type { RawSql } from './raw-sql.js';

export function rawClient(session: SqlSession): RawSql {
  return {
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]) {
      const sql = Prisma.sql(strings, ...values);
      return (await session.query(sql.text, sql.values as unknown[])) as T;
    },
    async $executeRaw(strings: TemplateStringsArray, ...values: unknown[]) {
      const sql = Prisma.sql(strings, ...values);
      await session.query(sql.text, sql.values as unknown[]);
      return 0;
    },
  };
}

