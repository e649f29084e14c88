import type { ContactField } from '../core/contacts/service.js';
import { builder } from './builder.js';

export const ContactRef = builder.prismaNode('Contact', {
  id: { field: 'id' },
  // An ID that is not found (or belongs to another account) loads as null, not as an error.
  nullable: true,
  // Scoped to the caller's account: another account's ID reads as one that does not exist.
  findUnique: (id, ctx) => ({ id, accountId: ctx.accountId }),
  fields: (t) => ({
    email: t.exposeString('email'),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    properties: t.expose('properties', { type: 'JSONObject' }),
    unsubscribed: t.exposeBoolean('unsubscribed'),
    unsubscribedAt: t.expose('unsubscribedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/**
 * What each field of Contact (segments included, from segment-contact-segments.ts) reads of the
 * contact, so that a page of contacts reads only what its selection needs (contact-connection.ts).
 * A field not listed here makes its page read whole contacts.
 */
export const CONTACT_FIELD_READS: Readonly<Record<string, readonly ContactField[]>> = {
  __typename: [],
  id: ['id'],
  email: ['email'],
  firstName: ['firstName'],
  lastName: ['lastName'],
  properties: ['properties'],
  unsubscribed: ['unsubscribed'],
  unsubscribedAt: ['unsubscribedAt'],
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
  segments: ['id'],
};
