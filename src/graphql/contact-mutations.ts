// Changing one contact. Bad input never throws: it answers userErrors and a null contact, and
// leaves the stored contact as it was.
import type { Contact } from '../core/contacts/contact.js';
import { createContact, deleteContact, setSubscription, updateContact } from '../core/contacts/service.js';
import type { Outcome, UserError } from '../core/user-error.js';
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

/** A service's outcome as a payload: the contact, or null and the user errors. */
function payload(outcome: Outcome<Contact>): ContactPayload {
  return outcome.ok ? { contact: outcome.value, userErrors: [] } : { contact: null, userErrors: outcome.errors };
}

builder.mutationField('createContact', (t) =>
  t.field({
    type: contactPayload('CreateContactPayload'),
    args: { input: t.arg({ type: CreateContactInput, required: true }) },
    resolve: async (_root, { input }, ctx) => payload(await createContact(ctx.db, ctx.caller, input)),
  }),
);

builder.mutationField('updateContact', (t) =>
  t.field({
    type: contactPayload('UpdateContactPayload'),
    description: 'Changes only the fields given; properties merge key by key, and a key given as null is removed.',
    args: { input: t.arg({ type: UpdateContactInput, required: true }) },
    resolve: async (_root, { input: { id, ...fields } }, ctx) => payload(await updateContact(ctx.db, ctx.caller, id, fields)),
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
      const deleted = await deleteContact(ctx.db, ctx.caller, id);
      return deleted.ok ? { deletedContactId: deleted.value, userErrors: [] } : { deletedContactId: null, userErrors: deleted.errors };
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
      resolve: async (_root, { input: { id } }, ctx) => payload(await setSubscription(ctx.db, ctx.caller, id, unsubscribed)),
    }),
  );
}
