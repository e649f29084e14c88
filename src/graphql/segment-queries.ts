// Reading segments: one by id, and the account's segments newest first, searchable by name.
// Query.segments stays a keyset page (segmentPage), not a t.prismaConnection: Prisma's cursor is
// a row's id and pages from where that row is now, so the cursor of a segment deleted since (a
// client cleaning up as it pages) would read an empty last page; a keyset cursor keeps its
// position. And Prisma's `contains` is ILIKE with the text's % and _ as wildcards, where search
// takes them as they are (test/segments/segments.test.ts has both). Contact.segments is computed
// (dynamic segments match by their rules), no relation a relatedConnection could page.
import { segmentCount, segmentPage, segmentPosition } from '../core/segments/service.js';
import { isIdOf } from '../core/ids.js';
import { builder } from './builder.js';
import { keysetConnection } from './connection.js';
import { pagingArgs } from './connection-type.js';
import { SegmentConnection } from './segment-connection.js';
import { connectionComplexity } from './limits.js';

builder.queryField('segment', (t) =>
  t.prismaField({
    type: 'Segment',
    nullable: true,
    description: 'The segment with this id; null when there is none in this account.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      isIdOf('segment', id) ? ctx.db.prisma.segment.findFirst({ ...query, where: { id, accountId: ctx.accountId } }) : null,
  }),
);

builder.queryField('segments', (t) =>
  t.field({
    type: SegmentConnection,
    description: "The account's segments, newest first.",
    complexity: connectionComplexity,
    args: { ...pagingArgs, search: t.arg.string({ description: 'Case-insensitive substring of the name.' }) },
    resolve: (_root, args, ctx) => {
      const filter = { accountId: ctx.accountId, search: args.search };
      return keysetConnection({
        args,
        positionOf: segmentPosition,
        load: (window) => segmentPage(ctx.db, filter, window),
        totalCount: () => segmentCount(ctx.db, filter),
      });
    },
  }),
);
