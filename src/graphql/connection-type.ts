// The GraphQL side of every connection: its paging arguments and its Connection and Edge types.
import type { ObjectRef } from '@pothos/core';
import type { SchemaTypesOf } from './builder.js';
import { builder } from './builder.js';
import type { Connection } from './connection.js';

export const pagingArgs = builder.args((t) => ({
  first: t.int(),
  after: t.string(),
  last: t.int(),
  before: t.string(),
}));

/** `<Name>Connection { edges: [<Name>Edge!]!, pageInfo, totalCount }` over nodes of nodeRef. */
export function connectionType<Node>(name: string, nodeRef: ObjectRef<SchemaTypesOf, Node>, totalCountDescription?: string) {
  // The edge only hands its node on; typed loosely here, checked at the call by nodeRef's Node.
  const anyNode = nodeRef as ObjectRef<SchemaTypesOf, unknown>;
  const edge = builder.objectRef<{ cursor: string; node: unknown }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      node: t.field({ type: anyNode, nullable: false, resolve: (parent) => parent.node }),
    }),
  });
  return builder.objectRef<Connection<Node>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [edge], resolve: (connection) => connection.edges }),
      pageInfo: t.field({ type: builder.pageInfoRef(), resolve: (connection) => connection.pageInfo }),
      totalCount: t.int({ description: totalCountDescription, resolve: (connection) => connection.totalCount() }),
    }),
  });
}
