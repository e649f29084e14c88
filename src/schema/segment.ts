import { builder } from './builder.js';

export const SegmentTypeEnum = builder.enumType('SegmentType', { values: ['STATIC', 'DYNAMIC'] as const });
export const SegmentMatchEnum = builder.enumType('SegmentMatch', { values: ['ALL', 'ANY'] as const });

export const SegmentRef = builder.prismaNode('Segment', {
  id: { field: 'id' },
  // An ID that is not found (or belongs to another account) loads as null, not as an error.
  nullable: true,
  findUnique: (id, ctx) => ({ id, accountId: ctx.accountId }),
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.expose('type', { type: SegmentTypeEnum }),
    match: t.expose('match', { type: SegmentMatchEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
