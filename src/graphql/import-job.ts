// ImportJob: one CSV import, its counts (moved on as batches commit, so a client can watch a
// running import) and its first row errors; the importJob(s) queries.
import type { ImportJob } from '../core/imports/job.js';
import { importJobCount, importJobPage, KEPT_ROW_ERRORS, rowErrorsOf } from '../core/imports/service.js';
import { builder } from './builder.js';
import { connectionType, pagingArgs } from './connection-type.js';
import { checkPageSize, keysetConnection } from './connection.js';

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
    rowErrors: t.field({
      type: [ImportRowErrorRef],
      description: `The rejected rows in line order; the job keeps the first ${KEPT_ROW_ERRORS}.`,
      args: { first: t.arg.int({ description: `1 to ${KEPT_ROW_ERRORS}, default 100.` }) },
      complexity: (args) => ({ field: 1, multiplier: args.first ?? 100 }),
      resolve: (job, args, ctx) => {
        checkPageSize('first', args.first, KEPT_ROW_ERRORS);
        return rowErrorsOf(ctx.db, job.id, args.first ?? 100);
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

const ImportJobConnectionRef = connectionType<ImportJob>('ImportJob', ImportJobRef);

builder.queryField('importJobs', (t) =>
  t.field({
    type: ImportJobConnectionRef,
    description: "The account's imports, newest first.",
    args: pagingArgs,
    resolve: (_root, args, ctx) =>
      keysetConnection<ImportJob>({
        args,
        positionOf: (job) => [job.createdAt.toISOString(), job.id],
        load: (window) => importJobPage(ctx.db, ctx.accountId, window),
        totalCount: () => importJobCount(ctx.db, ctx.accountId),
      }),
  }),
);
