// The Segment type: its definition, its members (the contact connection of the segment's
// members) and their count. Members are never loaded into Node beyond the page asked for.
import { contactCount } from '../core/contacts/service.js';
import { SEGMENT_OPERATORS } from '../core/segments/operators.js';
import { RULE_FIELD_LIST } from '../core/segments/fields.js';
import { type SegmentRule, storedRules } from '../core/segments/rules.js';
import { builder } from './builder.js';
import { ContactConnection, contactConnectionArgs, resolveContactConnection } from './contact-connection.js';
import { connectionComplexity } from './limits.js';

export const SegmentTypeEnum = builder.enumType('SegmentType', { values: ['STATIC', 'DYNAMIC'] as const });
export const SegmentMatchEnum = builder.enumType('SegmentMatch', { values: ['ALL', 'ANY'] as const });
export const SegmentRuleOperatorEnum = builder.enumType('SegmentRuleOperator', { values: SEGMENT_OPERATORS });

const SegmentRuleRef = builder.objectRef<SegmentRule>('SegmentRule').implement({
  fields: (t) => ({
    field: t.exposeString('field', { description: `${RULE_FIELD_LIST}.` }),
    operator: t.expose('operator', { type: SegmentRuleOperatorEnum }),
    value: t.string({ nullable: true, resolve: (rule) => rule.value ?? null }),
    values: t.stringList({ nullable: true, resolve: (rule) => rule.values ?? null }),
  }),
});

export const SegmentRef = builder.prismaNode('Segment', {
  id: { field: 'id' },
  // An ID that is not found (or belongs to another account) loads as null, not as an error.
  nullable: true,
  findUnique: (id, ctx) => ({ id, accountId: ctx.accountId }),
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.expose('type', { type: SegmentTypeEnum }),
    match: t.expose('match', { type: SegmentMatchEnum }),
    rules: t.field({
      type: [SegmentRuleRef],
      description: 'Empty for a STATIC segment.',
      resolve: (segment) => storedRules(segment.rules),
    }),
    contacts: t.field({
      type: ContactConnection,
      description: 'The members: explicit ones for STATIC, rule matches for DYNAMIC.',
      complexity: connectionComplexity,
      args: contactConnectionArgs,
      resolve: (segment, args, ctx) => resolveContactConnection(ctx, args, segment),
    }),
    contactCount: t.int({
      resolve: (segment, _args, ctx) => contactCount(ctx.db, { accountId: ctx.accountId, segment }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});
