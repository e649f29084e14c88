// Bulk changes: up to 1000 contacts in a handful of SQL statements. Items that fail are reported
// one by one and skipped; the others are applied. More than 1000 items is a GraphQL error, like
// every other size limit (SEMANTICS.md: GraphQL errors are kept for limits).
import { findContacts, deleteContacts } from '../core/contacts/repository/writes.js';
import { type ContactUpsert, type UpsertOutcome, upsertContacts } from '../core/contacts/repository/upsert.js';
import type { Contact } from '../db/generated/prisma/client.js';
import { type ContactFieldsInput, checkContactFields, propertyLimitError } from '../core/contacts/changes.js';
import { isIdOf } from '../core/ids.js';
import { type UserError, userError } from '../core/user-error.js';
import { builder } from './builder.js';
import { badInput } from './connection.js';
import { ContactRef } from './contact-node.js';
import { CreateContactInput } from './contact-mutations.js';
import { UserErrorRef } from './user-error.js';

const MAX_BULK_CONTACTS = 1000;

function checkBulkSize(argument: string, count: number): void {
  if (count > MAX_BULK_CONTACTS) throw badInput(`${argument} takes at most ${MAX_BULK_CONTACTS} items (got ${count})`, argument);
}

/** Errors in the order of the items they concern. */
function byItem(errors: UserError[]): UserError[] {
  return errors.sort((a, b) => Number(a.field?.[2]) - Number(b.field?.[2]));
}

type Item = { index: number; item: ContactUpsert };

/** The items that pass the contact rules, and the errors of those that do not. */
function checkItems(inputs: ContactFieldsInput[]): { valid: Item[]; userErrors: UserError[] } {
  const valid: Item[] = [];
  const userErrors: UserError[] = [];
  inputs.forEach((fields, index) => {
    const checked = checkContactFields(fields, ['input', 'contacts', String(index)], { propertyNulls: true });
    if (checked.ok) valid.push({ index, item: { ...checked.value, email: checked.value.email as string } });
    else userErrors.push(...checked.errors);
  });
  return { valid, userErrors };
}

/** Per item: created (the first item of a new email), updated (any other), or over the property limit. */
function tally(valid: Item[], outcome: UpsertOutcome): { created: number; updated: number; overLimit: UserError[] } {
  const rows = new Map(outcome.rows.map((row) => [row.email, row]));
  const seen = new Set<string>();
  const overLimit: UserError[] = [];
  let created = 0;
  let updated = 0;
  for (const { index, item } of valid) {
    const row = rows.get(item.email);
    if (!row) overLimit.push(propertyLimitError(['input', 'contacts', String(index), 'properties']));
    else if (row.created && !seen.has(item.email)) created += 1;
    else updated += 1;
    seen.add(item.email);
  }
  return { created, updated, overLimit };
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
      const { valid, userErrors } = checkItems(input.contacts);
      const outcome = valid.length ? await upsertContacts(ctx.db.prisma, ctx.accountId, valid.map(({ item }) => item)) : { rows: [], overLimit: [] };
      const { created, updated, overLimit } = tally(valid, outcome);
      const ids = outcome.rows.map((row) => row.id);
      return {
        created,
        updated,
        contacts: () => findContacts(ctx.db.prisma, ctx.accountId, ids),
        userErrors: byItem([...userErrors, ...overLimit]),
      };
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
      const deleted = new Set(await deleteContacts(ctx.db.prisma, ctx.accountId, ids.filter((id) => isIdOf('contact', id))));
      return {
        deletedContactIds: [...new Set(ids.filter((id) => deleted.has(id)))],
        userErrors: ids.flatMap((id, index) =>
          deleted.has(id) ? [] : [userError('NOT_FOUND', ['input', 'ids', String(index)], 'there is no contact with this id')],
        ),
      };
    },
  }),
);
