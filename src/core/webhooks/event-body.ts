// What webhooks need of an event: its body (EVENTS.md) is the events module's, built from the
// columns of an `events` row.
import { EVENT_TYPES, type EventType, type EventView } from '../events/service.js';

export { EVENT_TYPES, type EventType, eventBody, type EventBody } from '../events/service.js';

/** The columns of an `events` row a delivery's body is made of. */
export type EventRow = EventView;

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
