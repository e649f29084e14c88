// Changing segments and the members of static ones. Bad input never throws: it answers
// userErrors and a null segment, and leaves what is stored as it was.
import type { Segment } from '../core/segments/segment.js';
import { changeMembers, createSegment, deleteSegment, MAX_MEMBERSHIP_CHANGES, updateSegment } from '../core/segments/service.js';
import type { Outcome, UserError } from '../core/user-error.js';
import { RULE_FIELD_LIST } from '../core/segments/fields.js';
import { builder } from './builder.js';
import { badInput } from './connection.js';
import type { Context } from './context.js';
import { SegmentMatchEnum, SegmentRef, SegmentRuleOperatorEnum, SegmentTypeEnum } from './segment-node.js';
import { UserErrorRef } from './user-error.js';

const SegmentRuleInput = builder.inputType('SegmentRuleInput', {
  fields: (t) => ({
    field: t.string({ required: true, description: `${RULE_FIELD_LIST} (camelCase accepted).` }),
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

/** A service's outcome as a payload: the segment, or null and the user errors. */
function payload(outcome: Outcome<Segment>): SegmentPayload {
  return outcome.ok ? { segment: outcome.value, userErrors: [] } : { segment: null, userErrors: outcome.errors };
}

builder.mutationField('createSegment', (t) =>
  t.field({
    type: segmentPayload('CreateSegmentPayload'),
    args: { input: t.arg({ type: CreateSegmentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => payload(await createSegment(ctx.db, ctx.caller, input)),
  }),
);

builder.mutationField('updateSegment', (t) =>
  t.field({
    type: segmentPayload('UpdateSegmentPayload'),
    description: 'Changes only the fields given; rules given replace all the rules.',
    args: { input: t.arg({ type: UpdateSegmentInput, required: true }) },
    resolve: async (_root, { input: { id, ...fields } }, ctx) => payload(await updateSegment(ctx.db, ctx.caller, id, fields)),
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
      const deleted = await deleteSegment(ctx.db, ctx.caller, id);
      return deleted.ok ? { deletedSegmentId: deleted.value, userErrors: [] } : { deletedSegmentId: null, userErrors: deleted.errors };
    },
  }),
);

/** add/removeContactsToSegment: all or nothing (see changeMembers); more ids than the limit is a GraphQL error. */
function membershipMutation(change: 'add' | 'remove') {
  return async (
    _root: unknown,
    { input }: { input: { segmentId: string; contactIds: string[] } },
    ctx: Context,
  ): Promise<SegmentPayload> => {
    if (input.contactIds.length > MAX_MEMBERSHIP_CHANGES) {
      throw badInput(`contactIds takes at most ${MAX_MEMBERSHIP_CHANGES} ids (got ${input.contactIds.length})`, 'contactIds');
    }
    return payload(await changeMembers(ctx.db, ctx.caller, change, input));
  };
}

const MembershipPayload = segmentPayload('SegmentMembershipPayload');

builder.mutationField('addContactsToSegment', (t) =>
  t.field({
    type: MembershipPayload,
    description: 'Adds contacts to a STATIC segment; a contact already in it stays, once.',
    args: { input: t.arg({ type: SegmentMembershipInput, required: true }) },
    resolve: membershipMutation('add'),
  }),
);

builder.mutationField('removeContactsFromSegment', (t) =>
  t.field({
    type: MembershipPayload,
    description: 'Removes contacts from a STATIC segment; the contacts themselves stay.',
    args: { input: t.arg({ type: SegmentMembershipInput, required: true }) },
    resolve: membershipMutation('remove'),
  }),
);
