// GET /events (EVENTS.md): a page of the account's events, oldest first, with the cursor to go
// on from; next_cursor is never null: on the last page it is the cursor to poll with.
import { Type } from '@sinclair/typebox';
import { eventBody, eventFeed, EVENT_TYPES, type EventType, isEventType } from '../../core/events/service.js';
import { RestError } from './errors.js';
import { jsonRoute, type Route } from './route.js';

const EventSchema = Type.Object(
  {
    id: Type.String({ examples: ['evt_abc123def456ghi789jk'] }),
    type: Type.Union(EVENT_TYPES.map((type) => Type.Literal(type))),
    created_at: Type.String({ format: 'date-time' }),
    source: Type.Union(['graphql', 'rest', 'import', 'cli'].map((source) => Type.Literal(source))),
    api_key_prefix: Type.Union([Type.String({ examples: ['sk_live_ab12cd34'] }), Type.Null()]),
    import_job_id: Type.Union([Type.String(), Type.Null()]),
    data: Type.Unsafe<unknown>({ description: 'The object after the change in REST JSON (before it, for a deletion); see EVENTS.md.' }),
    previous: Type.Union([Type.Unsafe<Record<string, unknown>>({ type: 'object' }), Type.Null()]),
  },
  { additionalProperties: false },
);

const EventListQuery = Type.Object({
  after: Type.Optional(Type.String({ description: 'A next_cursor from an earlier page; from the start without it.' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  types: Type.Optional(Type.String({ description: 'Comma-separated event types, e.g. contact.created,contact.updated.' })),
});

export function eventRoutes(retentionDays: number): Route[] {
  return [
    jsonRoute({
      method: 'GET',
      path: '/events',
      operationId: 'listEvents',
      summary: "A page of the account's events, oldest first in commit order",
      tag: 'Events',
      query: EventListQuery,
      responses: {
        200: {
          description: 'The events and the cursor to go on (or poll) with',
          schema: Type.Object({ events: Type.Array(EventSchema), next_cursor: Type.String() }),
        },
      },
      errors: [400, 401],
      handler: async ({ db, accountId, query }) => {
        const types = query.types
          ? query.types
              .split(',')
              .map((type) => type.trim())
              .filter(Boolean)
          : [];
        const unknown = types.filter((type) => !isEventType(type));
        if (unknown.length) {
          throw RestError.one(400, 'BAD_REQUEST', `unknown event type ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}`, [
            'query',
            'types',
          ]);
        }
        const page = await eventFeed(db, accountId, {
          after: query.after,
          types: types as EventType[],
          limit: query.limit,
          retentionDays,
        });
        if (!page.ok) throw RestError.one(400, 'INVALID', page.errors[0]!.message, ['query', 'after']);
        return { status: 200, body: { events: page.value.events.map(eventBody), next_cursor: page.value.nextCursor } };
      },
    }),
  ];
}
