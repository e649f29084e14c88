// The contact routes of REST.md: each translates snake_case JSON to the core's values, calls the
// same service as the GraphQL resolver, and answers the contact in its REST JSON.
import { Type } from '@sinclair/typebox';
import type { ContactFieldsInput } from '../../core/contacts/changes.js';
import type { Contact } from '../../core/contacts/contact.js';
import {
  contactCount,
  contactPageAt,
  createContact,
  DEFAULT_CONTACT_ORDER,
  deleteContact,
  findContact,
  setSubscription,
  updateContact,
} from '../../core/contacts/service.js';
import { segmentMembers, segmentsOfContacts } from '../../core/segments/service.js';
import type { SegmentMembers } from '../../core/segments/definition.js';
import type { Database } from '../../db/database.js';
import { RestError, userErrorsAnswer } from './errors.js';
import { contactJson, segmentJson } from '../../core/json.js';
import { type Answer, jsonRoute, type Route } from './route.js';
import {
  ContactListQuery,
  ContactListSchema,
  ContactSchema,
  CreateContactBody,
  DeletedSchema,
  IdOrEmailParams,
  SegmentListSchema,
  SubscriptionSchema,
  UpdateContactBody,
} from './schemas.js';

type ContactBody = {
  email?: string;
  first_name?: string | null;
  last_name?: string | null;
  properties?: Record<string, unknown> | null;
  unsubscribed?: boolean;
};

/** The core's input: only the fields given, so that an update leaves the others alone. */
function contactFields(body: ContactBody): ContactFieldsInput {
  return {
    ...('email' in body && { email: body.email }),
    ...('first_name' in body && { firstName: body.first_name }),
    ...('last_name' in body && { lastName: body.last_name }),
    ...('properties' in body && { properties: body.properties }),
    ...('unsubscribed' in body && { unsubscribed: body.unsubscribed }),
  };
}

/** The same answer for an unknown contact, another account's and a value that is no id or email. */
export function contactNotFound(idOrEmail: string): RestError {
  return RestError.one(404, 'NOT_FOUND', `there is no contact ${idOrEmail} in this account`);
}

async function contactOf(db: Database, accountId: string, idOrEmail: string): Promise<Contact> {
  const contact = await findContact(db, accountId, idOrEmail);
  if (!contact) throw contactNotFound(idOrEmail);
  return contact;
}

export interface ListQuery {
  page: number;
  per_page: number;
  search?: string;
  subscribed?: boolean;
}

/** A numbered page of the contacts the filter selects, with the total of the same count GraphQL's contactsPage uses. */
export async function contactListAnswer(
  db: Database,
  accountId: string,
  query: ListQuery,
  segment: SegmentMembers | null,
): Promise<Answer> {
  const filter = { accountId, search: query.search, subscribed: query.subscribed, segment };
  const offset = (query.page - 1) * query.per_page;
  const [total, contacts] = await Promise.all([
    contactCount(db, filter),
    contactPageAt(db, filter, DEFAULT_CONTACT_ORDER, offset, query.per_page),
  ]);
  return {
    status: 200,
    body: {
      contacts: contacts.map(contactJson),
      pagination: { total, page: query.page, per_page: query.per_page, total_pages: Math.ceil(total / query.per_page) },
    },
  };
}

const contactAnswer = (status: number, contact: Contact): Answer => ({ status, body: contactJson(contact) });
const subscriptionAnswer = (contact: Contact): Answer => ({
  status: 200,
  body: {
    id: contact.id,
    email: contact.email,
    unsubscribed: contact.unsubscribed,
    unsubscribed_at: contact.unsubscribedAt?.toISOString() ?? null,
  },
});

const ok = (description: string, schema: Parameters<typeof jsonRoute>[0]['responses'][number]['schema']) => ({ description, schema });

export const contactRoutes: Route[] = [
  jsonRoute({
    method: 'POST',
    path: '/contacts',
    operationId: 'createContact',
    summary: 'Create a contact',
    tag: 'Contacts',
    body: CreateContactBody,
    responses: { 201: ok('The contact', ContactSchema) },
    errors: [400, 401, 409, 413, 415, 422],
    handler: async ({ db, caller, body }) => {
      const outcome = await createContact(db, caller, { ...contactFields(body), email: body.email });
      if (!outcome.ok) throw userErrorsAnswer(outcome.errors);
      return contactAnswer(201, outcome.value);
    },
  }),
  jsonRoute({
    method: 'GET',
    path: '/contacts',
    operationId: 'listContacts',
    summary: 'A page of contacts, newest first',
    tag: 'Contacts',
    query: ContactListQuery,
    responses: { 200: ok('A page and the pagination', ContactListSchema) },
    errors: [400, 401],
    handler: async ({ db, accountId, query }) => {
      const segment = query.segment_id === undefined ? null : await segmentMembers(db, accountId, query.segment_id);
      return contactListAnswer(db, accountId, query, segment);
    },
  }),
  jsonRoute({
    method: 'GET',
    path: '/contacts/{id_or_email}',
    operationId: 'getContact',
    summary: 'A contact by id or email',
    tag: 'Contacts',
    params: IdOrEmailParams,
    responses: { 200: ok('The contact', ContactSchema) },
    errors: [401, 404],
    handler: async ({ db, accountId, params }) => contactAnswer(200, await contactOf(db, accountId, params.id_or_email)),
  }),
  jsonRoute({
    method: 'PATCH',
    path: '/contacts/{id_or_email}',
    operationId: 'updateContact',
    summary: 'Change the given fields of a contact (properties merge; a key set to null is removed)',
    tag: 'Contacts',
    params: IdOrEmailParams,
    body: UpdateContactBody,
    responses: { 200: ok('The contact', ContactSchema) },
    errors: [400, 401, 404, 409, 413, 415, 422],
    handler: async ({ db, accountId, caller, params, body }) => {
      const { id } = await contactOf(db, accountId, params.id_or_email);
      const outcome = await updateContact(db, caller, id, contactFields(body));
      if (!outcome.ok) {
        if (outcome.errors.some((error) => error.code === 'NOT_FOUND')) throw contactNotFound(params.id_or_email);
        throw userErrorsAnswer(outcome.errors);
      }
      return contactAnswer(200, outcome.value);
    },
  }),
  jsonRoute({
    method: 'DELETE',
    path: '/contacts/{id_or_email}',
    operationId: 'deleteContact',
    summary: 'Delete a contact for good, with its segment memberships',
    tag: 'Contacts',
    params: IdOrEmailParams,
    responses: { 200: ok('Deleted', DeletedSchema) },
    errors: [401, 404],
    handler: async ({ db, accountId, caller, params }) => {
      const { id } = await contactOf(db, accountId, params.id_or_email);
      const outcome = await deleteContact(db, caller, id);
      if (!outcome.ok) throw contactNotFound(params.id_or_email);
      return { status: 200, body: { id: outcome.value, deleted: true } };
    },
  }),
  ...(['unsubscribe', 'resubscribe'] as const).map((action) =>
    jsonRoute({
      method: 'POST',
      path: `/contacts/{id_or_email}/${action}`,
      operationId: `${action}Contact`,
      summary: action === 'unsubscribe' ? 'Unsubscribe a contact (the first unsubscribed_at is kept)' : 'Resubscribe a contact',
      tag: 'Contacts',
      params: IdOrEmailParams,
      responses: { 200: ok('The subscription', SubscriptionSchema) },
      errors: [401, 404],
      handler: async ({ db, accountId, caller, params }) => {
        const { id } = await contactOf(db, accountId, params.id_or_email);
        const outcome = await setSubscription(db, caller, id, action === 'unsubscribe');
        if (!outcome.ok) throw contactNotFound(params.id_or_email);
        return subscriptionAnswer(outcome.value);
      },
    }),
  ),
  jsonRoute({
    method: 'GET',
    path: '/contacts/{id_or_email}/segments',
    operationId: 'contactSegments',
    summary: "The contact's segments: static memberships and matching dynamic segments",
    tag: 'Contacts',
    params: IdOrEmailParams,
    query: Type.Object({}),
    responses: { 200: ok('The segments', SegmentListSchema) },
    errors: [401, 404],
    handler: async ({ db, accountId, params }) => {
      const { id } = await contactOf(db, accountId, params.id_or_email);
      const segments = (await segmentsOfContacts(db, accountId, [id])).get(id) ?? [];
      return { status: 200, body: { segments: segments.map((segment) => segmentJson(segment)) } };
    },
  }),
];
