// The account's events: written by the other services inside their transactions (writeEvents),
// read as a feed paged by an opaque cursor, found by id, and trimmed after EVENT_RETENTION_DAYS.
import type { Database } from '../../db/database.js';
import type { RawSql } from '../../db/transaction.js';
import type { Outcome } from '../user-error.js';
import { userError } from '../user-error.js';
import type { Caller } from './caller.js';
import type { EventType, NewEvent, StoredEvent } from './event.js';
import { type FeedPosition, feedTail, findEvents, insertEvents, readFeed } from './repository/events.js';
import type { LiveEvents } from './live.js';

export { type Caller, callerOf, type EventSource } from './caller.js';
export { EVENT_SOURCES } from './caller.js';
export {
  type EventBody,
  eventBody,
  type EventType,
  EVENT_TYPES,
  isEventType,
  type NewEvent,
  type EventView,
  type StoredEvent,
} from './event.js';
export { EVENTS_CHANNEL } from './repository/events.js';
export { LiveEvents } from './live.js';
export { EventRetention } from './retention.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Writes the events of a change, in the change's own transaction (so one commits if and only if the other does). */
export function writeEvents(tx: RawSql, caller: Caller, events: readonly NewEvent[]): Promise<void> {
  return insertEvents(tx, caller, events);
}

/**
 * A cursor: where an event sits in the feed, and when it was made (so that one older than the
 * retention can be told from a gap). Opaque to clients: base64url of JSON.
 */
interface Cursor extends FeedPosition {
  at: number;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.txid, cursor.seq, cursor.at])).toString('base64url');
}

function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [txid, seq, at] = value as unknown[];
    if (typeof txid !== 'string' || !/^\d{1,20}$/.test(txid) || typeof seq !== 'string' || !/^\d{1,19}$/.test(seq)) return null;
    if (typeof at !== 'number' || !Number.isSafeInteger(at)) return null;
    return { txid, seq, at };
  } catch {
    return null;
  }
}

/** The cursor just after this event. */
export function cursorOf(event: StoredEvent): string {
  return encodeCursor({ txid: event.txid, seq: event.seq, at: event.createdAt.getTime() });
}

export interface FeedRequest {
  after?: string | null;
  types?: readonly EventType[] | null;
  contactId?: string | null;
  limit: number;
  retentionDays: number;
}

export interface FeedPage {
  events: StoredEvent[];
  /** Whether more events follow the page now. */
  hasMore: boolean;
  /**
   * Where to go on from: after the page's last event, or, for an empty page, the place asked
   * for (the start of the feed without `after`), stamped now: nothing the feed still holds was
   * skipped, so it ages from now.
   */
  nextCursor: string;
}

/** The place a cursor names; a malformed one, or one older than the retention, is INVALID at ["after"]. */
function checkCursor(text: string, retentionDays: number, now: Date): Outcome<Cursor> {
  const after = decodeCursor(text);
  if (!after) return { ok: false, errors: [userError('INVALID', ['after'], 'after is not a cursor of the event feed')] };
  if (after.at < now.getTime() - retentionDays * DAY_MS) {
    return {
      ok: false,
      errors: [
        userError(
          'INVALID',
          ['after'],
          `this cursor is older than the ${retentionDays} days events are kept (EVENT_RETENTION_DAYS): events after it may have been deleted; read the feed again from its start`,
        ),
      ],
    };
  }
  return { ok: true, value: after };
}

/** The account's events after the cursor, oldest first; a malformed cursor, or one older than the retention, is INVALID at ["after"]. */
export async function eventFeed(db: Database, accountId: string, request: FeedRequest, now = new Date()): Promise<Outcome<FeedPage>> {
  let after: Cursor | null = null;
  if (request.after) {
    const checked = checkCursor(request.after, request.retentionDays, now);
    if (!checked.ok) return checked;
    after = checked.value;
  }
  const rows = await readFeed(db.prisma, {
    accountId,
    after,
    types: request.types,
    contactId: request.contactId,
    limit: request.limit + 1,
  });
  const events = rows.slice(0, request.limit);
  const last = events.at(-1);
  return {
    ok: true,
    value: {
      events,
      hasMore: rows.length > request.limit,
      nextCursor: last ? cursorOf(last) : encodeCursor({ txid: after?.txid ?? '0', seq: after?.seq ?? '0', at: now.getTime() }),
    },
  };
}

const LIVE_PAGE = 100;

/**
 * The account's events as they commit: with `after`, first those that followed that cursor;
 * without, those committed from now on. Each is read from the feed after the last one handed
 * out, when a notification (or the poll) says there may be more, so replay and live meet with no
 * gap and no duplicate. Checks the cursor before anything streams; ends when `live` stops.
 */
export async function liveEventFeed(
  db: Database,
  live: LiveEvents,
  accountId: string,
  request: { after?: string | null; types?: readonly EventType[] | null; retentionDays: number },
): Promise<Outcome<AsyncGenerator<StoredEvent>>> {
  let position: FeedPosition | null = null;
  if (request.after) {
    const checked = checkCursor(request.after, request.retentionDays, new Date());
    if (!checked.ok) return checked;
    position = checked.value;
  }
  async function* stream(): AsyncGenerator<StoredEvent> {
    // Listening before the tail is read: nothing committed in between goes unnoticed.
    const subscription = live.subscribe(accountId);
    try {
      if (!request.after) position = await feedTail(db.prisma, accountId);
      for (;;) {
        const page = await readFeed(db.prisma, { accountId, after: position, types: request.types, limit: LIVE_PAGE });
        for (const event of page) {
          position = event;
          yield event;
        }
        if (page.length === LIVE_PAGE) continue;
        if (!(await subscription.next())) return;
      }
    } finally {
      subscription.close();
    }
  }
  return { ok: true, value: stream() };
}

/** The account's events with these ids, in the order of `ids` (missing ones left out). */
export async function eventsById(db: Database, accountId: string, ids: readonly string[]): Promise<StoredEvent[]> {
  const byId = new Map((await findEvents(db.prisma, accountId, ids)).map((event) => [event.id, event]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
