// What webhooks need of an event: its body (EVENTS.md) is the events module's, built from the
// columns of an `events` row.
import type { EventView } from '../events/service.js';

export { EVENT_TYPES, type EventType, eventBody, type EventBody, isEventType } from '../events/service.js';

/** The columns of an `events` row a delivery's body is made of. */
export type EventRow = EventView;
