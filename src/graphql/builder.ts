import SchemaBuilder from '@pothos/core';
import { GraphQLError } from 'graphql';
import ComplexityPlugin from '@pothos/plugin-complexity';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { resolveNodes } from '@pothos/plugin-relay';
import CheckedArgsPlugin from './checked-args.js';
import NodeIdsPlugin from './node-ids.js';
import type PrismaTypes from '../db/generated/pothos-types.js';
import { getDatamodel } from '../db/generated/pothos-types.js';
import { idKind } from '../core/ids.js';
import type { Context } from './context.js';
import { checkPageSize } from './connection.js';
import { MAX_NODES, QUERY_LIMITS } from './limits.js';

/** The GraphQL type each ID prefix stands for. */
export const NODE_TYPENAMES = {
  contact: 'Contact',
  segment: 'Segment',
  importJob: 'ImportJob',
  event: 'Event',
  webhookEndpoint: 'WebhookEndpoint',
  webhookDelivery: 'WebhookDelivery',
} as const;

type Types = {
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: unknown };
    JSON: { Input: unknown; Output: unknown };
    Upload: { Input: Promise<import('graphql-upload-minimal').FileUpload>; Output: never };
    ID: { Input: string; Output: string };
  };
};

export type SchemaTypesOf = PothosSchemaTypes.ExtendDefaultTypes<Types>;

export const builder: PothosSchemaTypes.SchemaBuilder<SchemaTypesOf> = new SchemaBuilder<Types>({
  plugins: [ComplexityPlugin, RelayPlugin, PrismaPlugin, CheckedArgsPlugin, NodeIdsPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.db.prisma,
    dmmf: getDatamodel(),
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Our IDs already name their type (ct_, seg_, imp_), so they are the global IDs as they are.
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => {
      const kind = idKind(globalID);
      const typename = kind && kind in NODE_TYPENAMES ? NODE_TYPENAMES[kind as keyof typeof NODE_TYPENAMES] : '';
      return { typename, id: globalID };
    },
    // An ID of no known type answers null, as one that does not exist does.
    nodeQueryOptions: {
      resolve: (_root, { id }, _ctx, _info, resolveNode) => (id.typename ? resolveNode(id) : null),
    },
    nodesQueryOptions: {
      resolve: (_root, { ids }, ctx, info) => {
        checkPageSize('ids', ids.length || 1, MAX_NODES);
        return resolveNodes(
          builder,
          ctx,
          info,
          ids.map((id) => (id.typename ? id : null)),
        );
      },
    },
    nodeTypeOptions: {
      description:
        'An object with a globally unique ID. IDs are prefixed: ct_ (contact), seg_ (segment), imp_ (import job), evt_ (event), whk_ (webhook endpoint), whd_ (webhook delivery).',
    },
  },
  complexity: {
    defaultComplexity: 1,
    // Connections multiply by their page size (see connectionComplexity); other lists are small.
    defaultListMultiplier: 1,
    limit: QUERY_LIMITS,
    // Checked for the whole operation before its first root field resolves.
    complexityError: (kind, result) => {
      const measure = kind.toLowerCase() as 'depth' | 'breadth' | 'complexity';
      const max = { depth: result.maxDepth, breadth: result.maxBreadth, complexity: result.maxComplexity }[measure];
      return new GraphQLError(
        `Query is too ${measure === 'complexity' ? 'costly' : measure === 'depth' ? 'deep' : 'broad'}: its ${measure} is ${result[measure]}, at most ${max} is allowed`,
        {
          extensions: { code: 'QUERY_TOO_COMPLEX', [measure]: result[measure], max },
        },
      );
    },
  },
});

builder.queryType({});
builder.mutationType({});
