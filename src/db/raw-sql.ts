/**
 * What set-based writers need of a connection: tagged raw SQL. A Prisma client or transaction has
 * it, and so has the import's plain driver transaction (imports/raw-transaction.ts).
 */
export interface RawSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
}
