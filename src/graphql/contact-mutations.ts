// Changing one contact. Bad input never throws: it answers userErrors and a null contact, and
// leaves the stored contact as it was.
import type { Contact } from '../db/generated/prisma/client.js';
import { insertContact, deleteContacts, setUnsubscribed, updateContact } from '../core/contacts/repository/writes.js';
import { checkContactFields, propertyLimitError } from '../core/contacts/changes.js';
import { isIdOf } from '../core/ids.js';
import { type UserError, userError } from '../core/user-error.js';
import { builder } from './builder.js';
import { ContactRef } from './contact-node.js';
import { UserErrorRef } from './user-error.js';

export const CreateContactInput = builder.inputType('CreateContactInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    firstName: t.string(),
    lastName: t.string(),
    properties: t.field({ type: 'JSONObject' }),
    unsubscribed: t.boolean(),
  }),
});

const UpdateContactInput = builder.inputType('UpdateContactInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    email: t.string(),
    firstName: t.string(),
    lastName: t.string(),
    properties: t.field({ type: 'JSONObject', description: 'Merged into the existing properties; a key set to null is removed.' }),
    unsubscribed: t.boolean(),
  }),
});

interface ContactPayload {
  contact: Contact | null;
  userErrors: UserError[];
}

function contactPayload(name: string) {
  return builder.objectRef<ContactPayload>(name).implement({
    fields: (t) => ({
      contact: t.field({ type: ContactRef, nullable: true, resolve: (payload) => payload.contact }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
    }),
  });
}

/** An input type holding only the id of a contact. */
function idInput(name: string) {
  return builder.inputType(name, { fields: (t) => ({ id: t.id({ required: true }) }) });
}

const failed = (userErrors: UserError[]): ContactPayload => ({ contact: null, userErrors });
const NOT_FOUND = userError('NOT_FOUND', ['input', 'id'], 'there is no contact with this id');

builder.mutationField('createContact', (t) =>
  t.field({
    type: contactPayload('CreateContactPayload'),
    args: { input: t.arg({ type: CreateContactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const checked = checkContactFields(input, ['input'], { propertyNulls: false });
      if (!checked.ok) return failed(checked.errors);
      const email = checked.value.email as string; // CreateContactInput requires it, so it was checked
      const contact = await insertContact(ctx.db.prisma, ctx.accountId, { ...checked.value, email });
      if (!contact) return failed([userError('TAKEN', ['input', 'email'], `${email} is already a contact in this account`)]);
      return { contact, userErrors: [] };
    },
  }),
);

builder.mutationField('updateContact', (t) =>
  t.field({
    type: contactPayload('UpdateContactPayload'),
    description: 'Changes only the fields given; properties merge key by key, and a key given as null is removed.',
    args: { input: t.arg({ type: UpdateContactInput, required: true }) },
    resolve: async (_root, { input: { id, ...fields } }, ctx) => {
      const checked = checkContactFields(fields, ['input'], { propertyNulls: true });
      if (!checked.ok) return failed(checked.errors);
      if (!isIdOf('contact', id)) return failed([NOT_FOUND]);
      const outcome = await updateContact(ctx.db.prisma, ctx.accountId, id, checked.value);
      if ('contact' in outcome) return { contact: outcome.contact, userErrors: [] };
      switch (outcome.error) {
        case 'NOT_FOUND':
          return failed([NOT_FOUND]);
        case 'TAKEN':
          return failed([userError('TAKEN', ['input', 'email'], `${checked.value.email} is already another contact in this account`)]);
        case 'LIMIT_EXCEEDED':
          return failed([propertyLimitError(['input', 'properties'])]);
      }
    },
  }),
);

builder.mutationField('deleteContact', (t) =>
  t.field({
    type: builder.objectRef<{ deletedContactId: string | null; userErrors: UserError[] }>('DeleteContactPayload').implement({
      fields: (p) => ({
        deletedContactId: p.exposeID('deletedContactId', { nullable: true }),
        userErrors: p.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
      }),
    }),
    description: 'Removes the contact for good, with all its segment memberships.',
    args: { input: t.arg({ type: idInput('DeleteContactInput'), required: true }) },
    resolve: async (_root, { input: { id } }, ctx) => {
      const [deleted] = isIdOf('contact', id) ? await deleteContacts(ctx.db.prisma, ctx.accountId, [id]) : [];
      return deleted ? { deletedContactId: deleted, userErrors: [] } : { deletedContactId: null, userErrors: [NOT_FOUND] };
    },
  }),
);

for (const [name, unsubscribed, description] of [
  ['unsubscribeContact', true, 'Sets unsubscribed and unsubscribedAt (kept if already set); the contact stays in its segments.'],
  ['resubscribeContact', false, 'Clears unsubscribed and unsubscribedAt.'],
] as const) {
  const typeName = name[0]!.toUpperCase() + name.slice(1);
  builder.mutationField(name, (t) =>
    t.field({
      type: contactPayload(`${typeName}Payload`),
      description,
      args: { input: t.arg({ type: idInput(`${typeName}Input`), required: true }) },
      resolve: async (_root, { input: { id } }, ctx) => {
        const contact = isIdOf('contact', id) ? await setUnsubscribed(ctx.db.prisma, ctx.accountId, id, unsubscribed) : null;
        return contact ? { contact, userErrors: [] } : failed([NOT_FOUND]);
      },
    }),
  );
}
