// Contact.segments: the static segments holding a contact and the dynamic segments matching it.
// The contacts of one page are answered together: the first Contact.segments of a request
// queues its contact, the rest of the page joins the queue in the same tick, and one batch of
// SQL answers them all (see segmentsOfContacts), so a page of contacts is not N+1 queries.
import { createContextCache } from '@pothos/core';
import type { Segment } from '../core/segments/segment.js';
import { segmentPosition, segmentsOfContacts } from '../core/segments/service.js';
import type { KeysetWindow, Position } from '../db/keyset.js';
import { builder } from './builder.js';
import { keysetConnection } from './connection.js';
import type { Context } from './context.js';
import { pagingArgs } from './connection-type.js';
import { SegmentConnection } from './segment-connection.js';
import { connectionComplexity } from './limits.js';

builder.prismaObjectField('Contact', 'segments', (t) =>
  t.field({
    type: SegmentConnection,
    description: 'Every segment this contact belongs to: static memberships and dynamic segments whose rules match.',
    complexity: connectionComplexity,
    args: pagingArgs,
    resolve: async (contact, args, ctx) => {
      const segments = segmentsOf(ctx)(contact.id);
      return keysetConnection({
        args,
        positionOf: segmentPosition,
        load: async (window) => pageOf(await segments, window),
        totalCount: async () => (await segments).length,
      });
    },
  }),
);

/** Per request: a contact's segments, loaded in batches. */
const segmentsOf = createContextCache((ctx: Context) =>
  batched((contactIds) => segmentsOfContacts(ctx.db, ctx.accountId, contactIds), [] as Segment[]),
);

/**
 * A keyset window over one contact's segments, newest first. They are few (at most the account's
 * segments) and already loaded, so the window is cut here rather than by another query.
 */
function pageOf(segments: Segment[], { after, before, limit, inverted }: KeysetWindow): Segment[] {
  const inside = segments.filter(
    (segment) => (!after || precedes(after, segmentPosition(segment))) && (!before || precedes(segmentPosition(segment), before)),
  );
  return (inverted ? inside.reverse() : inside).slice(0, limit);
}

/** True when position a comes before b, newest first (ISO instants of one width sort as text). */
function precedes([aTime, aId]: Position, [bTime, bId]: Position): boolean {
  return aTime > bTime || (aTime === bTime && aId > bId);
}

/** Calls made in the same tick share one `load` of all their keys; each key is loaded once. */
function batched<V>(load: (keys: string[]) => Promise<Map<string, V>>, missing: V): (key: string) => Promise<V> {
  const results = new Map<string, Promise<V>>();
  let queue: string[] = [];
  let pending: Promise<Map<string, V>> | null = null;
  return (key) => {
    const known = results.get(key);
    if (known) return known;
    pending ??= new Promise<void>((resolve) => process.nextTick(resolve)).then(() => {
      const keys = queue;
      queue = [];
      pending = null;
      return load(keys);
    });
    queue.push(key);
    const result = pending.then((values) => values.get(key) ?? missing);
    results.set(key, result);
    return result;
  };
}
