// Event (a Node), the events feed query and (in event-subscription.ts) the live subscription.
// The payload is the body EVENTS.md defines, exactly as REST and the webhooks carry it.
import { GraphQLError } from 'graphql';
import {
  cursorOf,
  eventBody,
  eventFeed,
  eventsById,
  EVENT_SOURCES,
  EVENT_TYPES,
  type EventView,
  type StoredEvent,
} from '../core/events/service.js';
import { builder } from './builder.js';
import { badInput, checkPageSize } from './connection.js';
import { connectionComplexity, DEFAULT_PAGE_SIZE } from './limits.js';

/** CONTACT_CREATED stands for contact.created: resolvers and arguments see the dotted name. */
export const EventTypeEnum = builder.enumType('EventType', {
  values: Object.fromEntries(EVENT_TYPES.map((type) => [type.toUpperCase().replace('.', '_'), { value: type }])),
});
const EventSourceEnum = builder.enumType('EventSource', {
  values: Object.fromEntries(EVENT_SOURCES.map((source) => [source.toUpperCase(), { value: source }])),
});

builder.scalarType('JSON', {
  description: "Any JSON value (an event body is nested, unlike JSONObject's flat properties).",
  serialize: (value) => value,
  parseValue: (value) => value,
});

export const EventRef = builder.objectRef<EventView>('Event');

builder.node(EventRef, {
  description: "A change to the account's data. IDs are prefixed evt_.",
  id: { resolve: (event) => event.id },
  loadMany: (ids, ctx) => eventsById(ctx.db, ctx.accountId, ids),
  fields: (t) => ({
    type: t.field({ type: EventTypeEnum, resolve: (event) => event.type }),
    createdAt: t.field({ type: 'DateTime', resolve: (event) => event.createdAt }),
    source: t.field({ type: EventSourceEnum, resolve: (event) => event.source }),
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

interface EventPage {
  edges: { cursor: string; node: StoredEvent }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const EventEdgeRef = builder.objectRef<EventPage['edges'][number]>('EventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: EventRef, resolve: (edge) => edge.node }),
  }),
});

const EventConnectionRef = builder.objectRef<EventPage>('EventConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [EventEdgeRef], resolve: (page) => page.edges }),
    pageInfo: t.field({ type: builder.pageInfoRef(), resolve: (page) => page.pageInfo }),
  }),
});

/** The error of a refused cursor (malformed, or older than EVENT_RETENTION_DAYS). */
export function cursorError(message: string): GraphQLError {
  return badInput(message, 'after');
}

builder.queryField('events', (t) =>
  t.field({
    type: EventConnectionRef,
    description:
      "The account's events, oldest first, in the order their changes committed; page on with after = pageInfo.endCursor (on the last page, poll with it).",
    args: {
      first: t.arg.int({ description: `1 to 100, default ${DEFAULT_PAGE_SIZE}.` }),
      after: t.arg.string(),
      types: t.arg({ type: [EventTypeEnum] }),
      contactId: t.arg.id(),
    },
    complexity: (args) => connectionComplexity(args),
    resolve: async (_root, args, ctx) => {
      checkPageSize('first', args.first);
      const page = await eventFeed(ctx.db, ctx.accountId, {
        after: args.after,
        types: args.types,
        contactId: args.contactId,
        limit: args.first ?? DEFAULT_PAGE_SIZE,
        retentionDays: ctx.eventRetentionDays,
      });
      if (!page.ok) throw cursorError(page.errors[0]!.message);
      const edges = page.value.events.map((event) => ({ cursor: cursorOf(event), node: event }));
      return {
        edges,
        pageInfo: {
          hasNextPage: page.value.hasMore,
          hasPreviousPage: false,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.length ? edges.at(-1)!.cursor : page.value.nextCursor,
        },
      };
    },
  }),
);
