// The Event type, as contract-events.graphql defines it, as far as webhooks need it
// (WebhookDelivery.event). The events feed and subscription (issue 17) extend this file.
import { GraphQLError } from 'graphql';
import { EVENT_TYPES, eventBody, type EventRow, findEvent } from '../core/webhooks/service.js';
import { builder } from './builder.js';

builder.scalarType('JSON', {
  description: "Any JSON value (an event body is nested, unlike JSONObject's flat properties).",
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: () => {
    throw new GraphQLError('JSON is an output type here');
  },
});

/** contact.created ↔ CONTACT_CREATED, segment.contacts_added ↔ SEGMENT_CONTACTS_ADDED. */
export const graphqlEventType = (type: string) => type.replace('.', '_').toUpperCase();
export const dottedEventType = (type: string) => type.toLowerCase().replace('_', '.');

export const EventTypeEnum = builder.enumType('EventType', {
  values: Object.fromEntries(EVENT_TYPES.map((type) => [graphqlEventType(type), { value: type }])),
});

export const EventSourceEnum = builder.enumType('EventSource', {
  values: { GRAPHQL: { value: 'graphql' }, REST: { value: 'rest' }, IMPORT: { value: 'import' }, CLI: { value: 'cli' } },
});

export const EventRef = builder.node(builder.objectRef<EventRow>('Event'), {
  description: "A change to the account's data. IDs are prefixed evt_.",
  id: { resolve: (event) => event.id },
  loadOne: (id, ctx) => findEvent(ctx.db, ctx.accountId, id),
  fields: (t) => ({
    type: t.field({ type: EventTypeEnum, resolve: (event) => event.type as never }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    source: t.field({ type: EventSourceEnum, resolve: (event) => event.source as never }),
    apiKeyPrefix: t.exposeString('apiKeyPrefix', {
      nullable: true,
      description: 'The visible prefix of the key that made the change, when one did.',
    }),
    importJobId: t.exposeID('importJobId', { nullable: true }),
    payload: t.field({
      type: 'JSON',
      description: 'The event body exactly as a webhook delivers it (EVENTS.md), snake_case JSON.',
      resolve: (event) => eventBody(event),
    }),
  }),
});
