// Changing segments and the members of static ones. Bad input never throws: it answers
// userErrors and a null segment, and leaves what is stored as it was.
import type { Segment } from '../db/generated/prisma/client.js';
import { addMembers, removeMembers, unknownContactIds } from '../core/segments/repository/membership.js';
import { idKind, isIdOf, newId } from '../core/ids.js';
import { checkNewSegment, checkSegmentChanges } from '../core/segments/definition.js';
import { type UserError, userError } from '../core/user-error.js';
import { builder } from './builder.js';
import { badInput } from './connection.js';
import type { Context } from './context.js';
import { SegmentMatchEnum, SegmentRef, SegmentRuleOperatorEnum, SegmentTypeEnum } from './segment-node.js';
import { UserErrorRef } from './user-error.js';

/** Like the bulk contact mutations: more is a GraphQL error, a limit rather than bad input. */
const MAX_MEMBERSHIP_CHANGES = 1000;

const SegmentRuleInput = builder.inputType('SegmentRuleInput', {
  fields: (t) => ({
    field: t.string({ required: true, description: 'email, first_name, last_name, unsubscribed, created_at, updated_at or properties.<key> (camelCase accepted).' }),
    operator: t.field({ type: SegmentRuleOperatorEnum, required: true }),
    value: t.string({ description: 'For every operator but IN, NOT_IN, EXISTS and NOT_EXISTS.' }),
    values: t.stringList({ description: 'For IN and NOT_IN: 1 to 500 entries.' }),
  }),
});

const CreateSegmentInput = builder.inputType('CreateSegmentInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    type: t.field({ type: SegmentTypeEnum, required: true }),
    match: t.field({ type: SegmentMatchEnum, description: 'Default ALL.' }),
    rules: t.field({ type: [SegmentRuleInput], description: 'Required (at least one) for DYNAMIC; none for STATIC.' }),
  }),
});

const UpdateSegmentInput = builder.inputType('UpdateSegmentInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    match: t.field({ type: SegmentMatchEnum }),
    rules: t.field({ type: [SegmentRuleInput], description: 'Replaces all the rules of a DYNAMIC segment.' }),
  }),
});

const DeleteSegmentInput = builder.inputType('DeleteSegmentInput', { fields: (t) => ({ id: t.id({ required: true }) }) });

const SegmentMembershipInput = builder.inputType('SegmentMembershipInput', {
  fields: (t) => ({
    segmentId: t.id({ required: true }),
    contactIds: t.idList({ required: true, description: `At most ${MAX_MEMBERSHIP_CHANGES}.` }),
  }),
});

interface SegmentPayload {
  segment: Segment | null;
  userErrors: UserError[];
}

function segmentPayload(name: string) {
  return builder.objectRef<SegmentPayload>(name).implement({
    fields: (t) => ({
      segment: t.field({ type: SegmentRef, nullable: true, resolve: (payload) => payload.segment }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
    }),
  });
}

const failed = (...userErrors: UserError[]): SegmentPayload => ({ segment: null, userErrors });
const notFound = (field: string) => userError('NOT_FOUND', ['input', field], 'there is no segment with this id');

/** The caller's segment with this id, or null (unknown, another account's, or no segment id). */
function findSegment(ctx: Context, id: string): Promise<Segment | null> {
  return isIdOf('segment', id) ? ctx.db.prisma.segment.findFirst({ where: { id, accountId: ctx.accountId } }) : Promise.resolve(null);
}

builder.mutationField('createSegment', (t) =>
  t.field({
    type: segmentPayload('CreateSegmentPayload'),
    args: { input: t.arg({ type: CreateSegmentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const checked = checkNewSegment(input.type, input);
      if (!checked.ok) return failed(...checked.errors);
      const { name = '', match, rules = [] } = checked.value;
      const segment = await ctx.db.prisma.segment.create({
        data: { id: newId('segment'), accountId: ctx.accountId, name, type: input.type, ...(match && { match }), rules: rules as object[] },
      });
      return { segment, userErrors: [] };
    },
  }),
);

builder.mutationField('updateSegment', (t) =>
  t.field({
    type: segmentPayload('UpdateSegmentPayload'),
    description: 'Changes only the fields given; rules given replace all the rules.',
    args: { input: t.arg({ type: UpdateSegmentInput, required: true }) },
    resolve: async (_root, { input: { id, ...fields } }, ctx) => {
      const existing = await findSegment(ctx, id);
      if (!existing) return failed(notFound('id'));
      const checked = checkSegmentChanges(existing.type, fields);
      if (!checked.ok) return failed(...checked.errors);
      const { rules, ...rest } = checked.value;
      const segment = await ctx.db.prisma.segment.update({ where: { id }, data: { ...rest, ...(rules && { rules: rules as object[] }) } });
      return { segment, userErrors: [] };
    },
  }),
);

builder.mutationField('deleteSegment', (t) =>
  t.field({
    type: builder.objectRef<{ deletedSegmentId: string | null; userErrors: UserError[] }>('DeleteSegmentPayload').implement({
      fields: (f) => ({
        deletedSegmentId: f.exposeID('deletedSegmentId', { nullable: true }),
        userErrors: f.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
      }),
    }),
    description: 'Removes the segment and its memberships; the contacts stay.',
    args: { input: t.arg({ type: DeleteSegmentInput, required: true }) },
    resolve: async (_root, { input: { id } }, ctx) => {
      const { count } = isIdOf('segment', id) ? await ctx.db.prisma.segment.deleteMany({ where: { id, accountId: ctx.accountId } }) : { count: 0 };
      return count ? { deletedSegmentId: id, userErrors: [] } : { deletedSegmentId: null, userErrors: [notFound('id')] };
    },
  }),
);

type MembershipChange = (ctx: Context, segment: Segment, contactIds: string[]) => Promise<void>;

/**
 * add/removeContactsToSegment: all or nothing. A DYNAMIC segment is NOT_ALLOWED (its rules say
 * who belongs); any id that names none of the account's contacts is NOT_FOUND and nothing changes.
 */
function membershipMutation(change: MembershipChange) {
  return async (_root: unknown, { input }: { input: { segmentId: string; contactIds: string[] } }, ctx: Context): Promise<SegmentPayload> => {
    if (input.contactIds.length > MAX_MEMBERSHIP_CHANGES) {
      throw badInput(`contactIds takes at most ${MAX_MEMBERSHIP_CHANGES} ids (got ${input.contactIds.length})`, 'contactIds');
    }
    const segment = await findSegment(ctx, input.segmentId);
    if (!segment) return failed(notFound('segmentId'));
    if (segment.type === 'DYNAMIC') {
      return failed(userError('NOT_ALLOWED', ['input', 'segmentId'], 'a DYNAMIC segment holds the contacts its rules match; its members cannot be added or removed'));
    }
    const contactIds = [...new Set(input.contactIds)];
    const unknown = await unknownContactIds(ctx.db.prisma, ctx.accountId, contactIds.filter((id) => idKind(id) === 'contact'));
    const errors = input.contactIds.flatMap((id, index) =>
      idKind(id) !== 'contact' || unknown.has(id) ? [userError('NOT_FOUND', ['input', 'contactIds', String(index)], `there is no contact ${id}`)] : [],
    );
    if (errors.length) return failed(...errors);
    await change(ctx, segment, contactIds);
    return { segment, userErrors: [] };
  };
}

const MembershipPayload = segmentPayload('SegmentMembershipPayload');

builder.mutationField('addContactsToSegment', (t) =>
  t.field({
    type: MembershipPayload,
    description: 'Adds contacts to a STATIC segment; a contact already in it stays, once.',
    args: { input: t.arg({ type: SegmentMembershipInput, required: true }) },
    resolve: membershipMutation((ctx, segment, ids) => addMembers(ctx.db.prisma, ctx.accountId, segment.id, ids)),
  }),
);

builder.mutationField('removeContactsFromSegment', (t) =>
  t.field({
    type: MembershipPayload,
    description: 'Removes contacts from a STATIC segment; the contacts themselves stay.',
    args: { input: t.arg({ type: SegmentMembershipInput, required: true }) },
    resolve: membershipMutation((ctx, segment, ids) => removeMembers(ctx.db.prisma, segment.id, ids)),
  }),
);
