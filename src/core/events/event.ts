// An event as EVENTS.md defines it: its type, and the body that webhooks, REST and GraphQL's
// `Event.payload` all carry. Pure: the SQL is in repository/.
import { isDeepStrictEqual } from 'node:util';
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
  previous?: Record<string, unknown> | null;
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

/**
 * The fields of an object (in the REST API's JSON) that changed, with their old values; never
 * `updated_at`. `properties` is compared key by key: only the keys that changed, a removed key
 * with its old value, an added one as null. Empty when nothing changed.
 */
export function previousOf(before: object, after: object): Record<string, unknown> {
  const old = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  const previous: Record<string, unknown> = {};
  for (const field of new Set([...Object.keys(old), ...Object.keys(now)])) {
    if (field === 'updated_at' || isDeepStrictEqual(old[field], now[field])) continue;
    previous[field] =
      field === 'properties' && isPlainObject(old[field]) && isPlainObject(now[field])
        ? changedKeys(old[field], now[field])
        : (old[field] ?? null);
  }
  return previous;
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isDeepStrictEqual(before[key], after[key])) changed[key] = Object.hasOwn(before, key) ? before[key] : null;
  }
  return changed;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The event of an update to a contact, or null when it changed nothing: an unsubscribe is
 * contact.unsubscribed, a resubscribe contact.resubscribed (with the other changed fields in
 * `previous` too), anything else contact.updated.
 */
export function contactUpdateEvent<T extends { id: string; unsubscribed: boolean }>(before: T, after: T): NewEvent | null {
  const previous = previousOf(before, after);
  if (Object.keys(previous).length === 0) return null;
  const type: EventType =
    before.unsubscribed === after.unsubscribed ? 'contact.updated' : after.unsubscribed ? 'contact.unsubscribed' : 'contact.resubscribed';
  return { type, contactId: after.id, data: after, previous };
}
