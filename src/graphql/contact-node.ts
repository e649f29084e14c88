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
