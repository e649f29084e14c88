// Bulk changes: up to 1000 contacts in a handful of SQL statements. Items that fail are reported
// one by one and skipped; the others are applied. More than 1000 items is a GraphQL error, like
// every other size limit (SEMANTICS.md: GraphQL errors are kept for limits).
import type { Contact } from '../core/contacts/contact.js';
import { contactsById, deleteContacts, MAX_BULK_CONTACTS, upsertContacts } from '../core/contacts/service.js';
import type { UserError } from '../core/user-error.js';
import { builder } from './builder.js';
import { badInput } from './connection.js';
import { ContactRef } from './contact-node.js';
import { CreateContactInput } from './contact-mutations.js';
import { UserErrorRef } from './user-error.js';

function checkBulkSize(argument: string, count: number): void {
  if (count > MAX_BULK_CONTACTS) throw badInput(`${argument} takes at most ${MAX_BULK_CONTACTS} items (got ${count})`, argument);
}

interface UpsertPayload {
  created: number;
  updated: number;
  contacts: () => Promise<Contact[]>;
  userErrors: UserError[];
}

builder.mutationField('upsertContacts', (t) =>
  t.field({
    type: builder.objectRef<UpsertPayload>('UpsertContactsPayload').implement({
      fields: (p) => ({
        created: p.exposeInt('created'),
        updated: p.exposeInt('updated'),
        contacts: p.field({
          type: [ContactRef],
          description: 'Each contact created or updated, once, in the order of its first item.',
          resolve: (payload) => payload.contacts(),
        }),
        userErrors: p.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
      }),
    }),
    description:
      'Creates new emails and updates known ones (by the updateContact rules). An email given twice applies in order and ' +
      'counts once as created or updated, then as updated: created + updated + failed items = items.',
    args: {
      input: t.arg({
        type: builder.inputType('UpsertContactsInput', {
          fields: (i) => ({ contacts: i.field({ type: [CreateContactInput], required: true }) }),
        }),
        required: true,
      }),
    },
    // The payload lists every contact written.
    complexity: (args) => ({ field: 1, multiplier: args.input.contacts.length }),
    resolve: async (_root, { input }, ctx) => {
      checkBulkSize('input.contacts', input.contacts.length);
      const { created, updated, contactIds, errors } = await upsertContacts(ctx.db, ctx.caller, input.contacts);
      return { created, updated, contacts: () => contactsById(ctx.db, ctx.accountId, contactIds), userErrors: errors };
    },
  }),
);

builder.mutationField('deleteContacts', (t) =>
  t.field({
    type: builder.objectRef<{ deletedContactIds: string[]; userErrors: UserError[] }>('DeleteContactsPayload').implement({
      fields: (p) => ({
        deletedContactIds: p.exposeIDList('deletedContactIds'),
        userErrors: p.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
      }),
    }),
    description: 'Deletes up to 1000 contacts; each id that is not a contact of this account is a NOT_FOUND error.',
    args: {
      input: t.arg({
        type: builder.inputType('DeleteContactsInput', { fields: (i) => ({ ids: i.idList({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: async (_root, { input: { ids } }, ctx) => {
      checkBulkSize('input.ids', ids.length);
      const { deletedIds, errors } = await deleteContacts(ctx.db, ctx.caller, ids);
      return { deletedContactIds: deletedIds, userErrors: errors };
    },
  }),
);
