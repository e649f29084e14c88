// The event body a webhook POSTs (EVENTS.md, "What is an event"), built from an `events` row in
// this one function. The events module (issue 17's feed) builds the same body; when it lands on
// main this file gives way to its eventBody. Pure.

export const EVENT_TYPES = [
  'contact.created',
  'contact.updated',
  'contact.deleted',
  'contact.unsubscribed',
  'contact.resubscribed',
  'segment.created',
  'segment.updated',
  'segment.deleted',
  'segment.contacts_added',
  'segment.contacts_removed',
  'import.completed',
  'import.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** The columns of an `events` row the body is made of. */
export interface EventRow {
  id: string;
  type: string;
  source: string;
  apiKeyPrefix: string | null;
  importJobId: string | null;
  data: unknown;
  previous: unknown;
  createdAt: Date;
}

export interface EventBody {
  id: string;
  type: string;
  created_at: string;
  source: string;
  api_key_prefix: string | null;
  import_job_id: string | null;
  data: unknown;
  previous: unknown;
}

export function eventBody(event: EventRow): EventBody {
  return {
    id: event.id,
    type: event.type,
    created_at: event.createdAt.toISOString(),
    source: event.source,
    api_key_prefix: event.apiKeyPrefix,
    import_job_id: event.importJobId,
    data: event.data,
    previous: event.previous ?? null,
  };
}
