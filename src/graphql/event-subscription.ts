// subscription { events(types, after) }: the caller's events as they commit, on whichever
// instance, over Yoga's Server-Sent Events; with after, what followed that cursor first.
import { liveEventFeed } from '../core/events/service.js';
import { builder } from './builder.js';
import { cursorError, EventRef, EventTypeEnum } from './events.js';

builder.subscriptionType({});

builder.subscriptionField('events', (t) =>
  t.field({
    type: EventRef,
    description: "The caller's events as they commit; with after, what followed that cursor first.",
    args: {
      types: t.arg({ type: [EventTypeEnum] }),
      after: t.arg.string(),
    },
    subscribe: async (_root, args, ctx) => {
      const feed = await liveEventFeed(ctx.db, ctx.liveEvents, ctx.accountId, {
        after: args.after,
        types: args.types,
        retentionDays: ctx.eventRetentionDays,
      });
      if (!feed.ok) throw cursorError(feed.errors[0]!.message);
      return feed.value;
    },
    resolve: (event) => event,
  }),
);
