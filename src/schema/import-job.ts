import { builder } from './builder.js';

export const ImportJobStatusEnum = builder.enumType('ImportJobStatus', {
  values: ['PROCESSING', 'COMPLETED', 'FAILED'] as const,
});

export const ImportJobRef = builder.prismaNode('ImportJob', {
  id: { field: 'id' },
  // An ID that is not found (or belongs to another account) loads as null, not as an error.
  nullable: true,
  findUnique: (id, ctx) => ({ id, accountId: ctx.accountId }),
  fields: (t) => ({
    status: t.expose('status', { type: ImportJobStatusEnum }),
    filename: t.exposeString('filename', { nullable: true }),
    rowsProcessed: t.exposeInt('rowsProcessed'),
    imported: t.exposeInt('imported', { description: 'Contacts created.' }),
    updated: t.exposeInt('updated', { description: 'Existing contacts updated.' }),
    errors: t.exposeInt('errors', { description: 'Rows rejected.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});
