// An event as EVENTS.md defines it: its type, and the body that webhooks, REST and GraphQL's
// `Event.payload` all carry. Pure: the SQL is in repository/.
import type { EventSource } from './caller.js';

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

/** An event to write: the caller and the time come from the change that makes it. */
export interface NewEvent {
  type: EventType;
  /** The contact a contact event is about (the feed's contactId filter). */
  contactId?: string | null;
  importJobId?: string | null;
  data: unknown;
  /**
   * For an update: the object before it, in the same JSON as data. The event then carries the
   * changed fields in `previous` (computed where it is written), and a change of nothing but
   * updated_at makes none.
   */
  before?: unknown;
}

/** A stored event. `txid` and `seq` place it in the feed (see the events migration). */
export interface StoredEvent {
  id: string;
  type: EventType;
  source: EventSource;
  apiKeyPrefix: string | null;
  importJobId: string | null;
  contactId: string | null;
  data: unknown;
  previous: Record<string, unknown> | null;
  createdAt: Date;
  txid: string;
  seq: string;
}

/** What an event's body is made of: a stored event, or any row holding these columns. */
export type EventView = Pick<StoredEvent, 'id' | 'type' | 'source' | 'apiKeyPrefix' | 'importJobId' | 'data' | 'previous' | 'createdAt'>;

export interface EventBody {
  id: string;
  type: EventType;
  created_at: string;
  source: EventSource;
  api_key_prefix: string | null;
  import_job_id: string | null;
  data: unknown;
  previous: Record<string, unknown> | null;
}

export function eventBody(event: EventView): EventBody {
  return {
    id: event.id,
    type: event.type,
    created_at: event.createdAt.toISOString(),
    source: event.source,
    api_key_prefix: event.apiKeyPrefix,
    import_job_id: event.importJobId,
    data: event.data,
    previous: event.previous,
  };
}
