// ImportJob: one CSV import, its counts (moved on as batches commit, so a client can watch a
// running import) and its first row errors; the importJob(s) queries. importJobs is a
// t.prismaConnection: one findMany of the account's jobs, with what the page selects of each
// (rowErrors too) loaded alongside it by Prisma, not a query per job. Prisma's cursor is a job's
// id, and pages from where that row is; jobs are never deleted (but with their account), so a
// cursor's row is always there.
import { KEPT_ROW_ERRORS } from '../core/imports/service.js';
import { builder } from './builder.js';
import { checkPageSize, prismaConnectionCheck } from './connection.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './limits.js';

export const ImportJobStatusEnum = builder.enumType('ImportJobStatus', {
  values: ['PROCESSING', 'COMPLETED', 'FAILED'] as const,
});

const ImportRowErrorRef = builder.objectRef<{ line: number; email: string | null; message: string }>('ImportRowError').implement({
  fields: (t) => ({
    line: t.exposeInt('line', { description: '1-based line number in the file, the header being line 1.' }),
    email: t.exposeString('email', { nullable: true }),
    message: t.exposeString('message'),
  }),
});

const DEFAULT_ROW_ERRORS = 100;

/** The rows rowErrors(first) reads; none for a first out of range, which its resolver refuses. */
function rowErrorsTake(first: number | null | undefined): number {
  const take = first ?? DEFAULT_ROW_ERRORS;
  return Number.isInteger(take) && take >= 1 && take <= KEPT_ROW_ERRORS ? take : 0;
}

export const ImportJobRef = builder.prismaNode('ImportJob', {
  id: { field: 'id' },
  // An ID that is not found (or belongs to another account) loads as null, not as an error.
  nullable: true,
  findUnique: (id, ctx) => ({ id, accountId: ctx.accountId }),
  fields: (t) => ({
    status: t.expose('status', { type: ImportJobStatusEnum }),
    filename: t.exposeString('filename', { nullable: true }),
    rowsProcessed: t.exposeInt('rowsProcessed', { description: 'Data rows read and committed (the header not counted).' }),
    imported: t.exposeInt('imported', { description: 'Contacts created.' }),
    updated: t.exposeInt('updated', { description: 'Existing contacts updated.' }),
    errors: t.exposeInt('errors', { description: 'Rows rejected.' }),
    failureReason: t.exposeString('failureReason', { nullable: true, description: 'Why a FAILED import stopped.' }),
    // Selected with the job (a list, not a connection: the contract's shape), so a page of jobs
    // reads the row errors of all of them in one statement.
    rowErrors: t.field({
      type: [ImportRowErrorRef],
      description: `The rejected rows in line order; the job keeps the first ${KEPT_ROW_ERRORS}.`,
      args: { first: t.arg.int({ description: `1 to ${KEPT_ROW_ERRORS}, default ${DEFAULT_ROW_ERRORS}.` }) },
      complexity: (args) => ({ field: 1, multiplier: args.first ?? DEFAULT_ROW_ERRORS }),
      select: (args) => ({
        rowErrors: {
          orderBy: [{ line: 'asc' }, { id: 'asc' }],
          take: rowErrorsTake(args.first),
          select: { line: true, email: true, message: true },
        },
      }),
      resolve: (job, args) => {
        checkPageSize('first', args.first, KEPT_ROW_ERRORS);
        return job.rowErrors;
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('importJob', (t) =>
  t.prismaField({
    type: 'ImportJob',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => ctx.db.prisma.importJob.findFirst({ ...query, where: { id, accountId: ctx.accountId } }),
  }),
);

builder.queryField('importJobs', (t) =>
  t.prismaConnection(
    {
      type: 'ImportJob',
      cursor: 'id',
      description: "The account's imports, newest first.",
      defaultSize: DEFAULT_PAGE_SIZE,
      maxSize: MAX_PAGE_SIZE,
      extensions: { checkArgs: prismaConnectionCheck('importJob') },
      resolve: (query, _root, _args, ctx) =>
        ctx.db.prisma.importJob.findMany({
          ...query,
          // Another account's job is no position in this list: its cursor reads an empty page.
          cursor: query.cursor && { ...query.cursor, accountId: ctx.accountId },
          where: { accountId: ctx.accountId },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
      totalCount: (_root, _args, ctx) => ctx.db.prisma.importJob.count({ where: { accountId: ctx.accountId } }),
    },
    { name: 'ImportJobConnection' },
    { name: 'ImportJobEdge' },
  ),
);
