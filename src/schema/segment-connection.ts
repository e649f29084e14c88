// SegmentConnection: the type of Query.segments and Contact.segments.
import type { Segment } from '../db/generated/prisma/client.js';
import { builder } from './builder.js';
import type { Connection } from './connection.js';
import { SegmentRef } from './segment-node.js';

const SegmentEdgeRef = builder.objectRef<{ cursor: string; node: Segment }>('SegmentEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: SegmentRef, nullable: false, resolve: (edge) => edge.node }),
  }),
});

export const SegmentConnection = builder.objectRef<Connection<Segment>>('SegmentConnection').implement({
  fields: (t) => ({
    edges: t.field({ type: [SegmentEdgeRef], resolve: (connection) => connection.edges }),
    pageInfo: t.field({ type: builder.pageInfoRef(), resolve: (connection) => connection.pageInfo }),
    totalCount: t.int({ description: 'Every segment the list holds, not only this page.', resolve: (connection) => connection.totalCount() }),
  }),
});

export const segmentPagingArgs = builder.args((t) => ({
  first: t.int(),
  after: t.string(),
  last: t.int(),
  before: t.string(),
}));
