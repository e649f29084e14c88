// The contact list as a Relay connection, shared by Query.contacts and Segment.contacts: a keyset
// page in one SQL query, and a totalCount that runs its query only when it is selected (then
// beside the page's query rather than after it, as a filtered count costs what the page costs).
import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import type { Contact } from '../core/contacts/contact.js';
import {
  type ContactField,
  type ContactFields,
  type ContactFilter,
  type ContactOrder,
  contactCount as countOf,
  contactPage,
  contactPosition,
  DEFAULT_CONTACT_ORDER,
  fitsOrder,
  partialContactPage,
} from '../core/contacts/service.js';
import type { SegmentMembers } from '../core/segments/definition.js';
import { isStorableText, UNSTORABLE_MESSAGE } from '../core/contacts/rules.js';
import { builder } from './builder.js';
import { connectionType, pagingArgs } from './connection-type.js';
import { badInput, type Connection, type ConnectionArgs, keysetConnection } from './connection.js';
import { CONTACT_FIELD_READS, ContactRef } from './contact-node.js';
import type { Context } from './context.js';

export const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });
export const ContactOrderFieldEnum = builder.enumType('ContactOrderField', { values: ['CREATED_AT', 'UPDATED_AT', 'EMAIL'] as const });

export const ContactOrderInput = builder.inputType('ContactOrder', {
  fields: (t) => ({
    field: t.field({ type: ContactOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true }),
  }),
});

/** The paging and filter arguments every contact connection takes. */
export const contactConnectionArgs = builder.args((t) => ({
  ...pagingArgs,
  search: t.string({ description: 'Case-insensitive substring of the email, first name, last name or "first last".' }),
  subscribed: t.boolean({ description: 'true: only contacts that are not unsubscribed; false: only those that are.' }),
}));

export interface ContactListArgs extends ConnectionArgs {
  search?: string | null;
  subscribed?: boolean | null;
  orderBy?: ContactOrder | null;
}

export const ContactConnection = connectionType<Contact>('Contact', ContactRef, 'Every contact the filters select, not only this page.');

export function contactFilter(
  ctx: Context,
  args: Pick<ContactListArgs, 'search' | 'subscribed'>,
  segment?: SegmentMembers | null,
): ContactFilter {
  if (args.search && !isStorableText(args.search)) throw badInput(`search ${UNSTORABLE_MESSAGE}`, 'search');
  return { accountId: ctx.accountId, search: args.search, subscribed: args.subscribed, segment };
}

/**
 * A page of the caller's contacts, of one segment's members when `segment` is given. With the
 * field's `info`, a selected totalCount is counted at the same time as the page is read, and the
 * page reads only the fields its nodes' selection needs.
 */
export function resolveContactConnection(
  ctx: Context,
  args: ContactListArgs,
  segment?: SegmentMembers | null,
  info?: GraphQLResolveInfo,
): Promise<Connection<Contact>> {
  const filter = contactFilter(ctx, args, segment);
  const order = args.orderBy ?? DEFAULT_CONTACT_ORDER;
  const fields = info && nodeFields(info);
  return keysetConnection({
    args,
    positionOf: (contact) => contactPosition(order, contact),
    load: (window) => {
      if (window.after && !fitsOrder(order, window.after)) throw badInput('after is not a cursor of this list and order', 'after');
      if (window.before && !fitsOrder(order, window.before)) throw badInput('before is not a cursor of this list and order', 'before');
      // A partial contact holds every field that Contact's resolvers will read of it (nodeFields).
      return fields
        ? (partialContactPage(ctx.db, filter, order, window, fields) as Promise<Contact[]>)
        : contactPage(ctx.db, filter, order, window);
    },
    totalCount: contactCount(ctx, filter, info !== undefined && selects(info, 'totalCount')),
  });
}

/** The count of the filter's contacts, run once when first asked for, or at once when `now`. */
export function contactCount(ctx: Context, filter: ContactFilter, now: boolean): () => Promise<number> {
  let count: Promise<number> | undefined;
  const get = () => (count ??= countOf(ctx.db, filter));
  // Caught here so that a count nobody awaits (the page failed) is no unhandled rejection.
  if (now) get().catch(() => {});
  return get;
}

/**
 * What the connection's `edges { node { … } }` reads of each contact (every field of every
 * fragment, whatever its directives), or undefined when it selects a field CONTACT_FIELD_READS
 * does not know: then the page reads whole contacts.
 */
function nodeFields(info: GraphQLResolveInfo): ContactFields | undefined {
  const fields = new Set<ContactField>();
  const fieldsOf = (set: SelectionSetNode | undefined, visit: (field: FieldNode) => boolean): boolean =>
    (set?.selections ?? []).every((selection) => {
      if (selection.kind === Kind.FIELD) return visit(selection);
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value];
      return fieldsOf(fragment?.selectionSet, visit);
    });
  const readsOfNode = (field: FieldNode) => {
    const reads = CONTACT_FIELD_READS[field.name.value];
    reads?.forEach((read) => fields.add(read));
    return reads !== undefined;
  };
  const inEdge = (field: FieldNode) => field.name.value !== 'node' || fieldsOf(field.selectionSet, readsOfNode);
  const inConnection = (field: FieldNode) => field.name.value !== 'edges' || fieldsOf(field.selectionSet, inEdge);
  return info.fieldNodes.every((node) => fieldsOf(node.selectionSet, inConnection)) ? fields : undefined;
}

/** Whether the field being resolved selects the field at `path` (directly or through fragments). */
export function selects(info: GraphQLResolveInfo, ...path: string[]): boolean {
  const within = (set: SelectionSetNode | undefined, [name, ...rest]: string[]): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD)
        return selection.name.value === name && (rest.length === 0 || within(selection.selectionSet, rest));
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value];
      return within(fragment?.selectionSet, [name!, ...rest]);
    });
  return info.fieldNodes.some((node) => within(node.selectionSet, path));
}
