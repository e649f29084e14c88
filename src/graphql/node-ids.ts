// A node's `id` read at once. @pothos/plugin-relay resolves every node's `id` through an async
// function, a promise (and the executor's wait for it) per node of a page; here every node's ID
// is its row's own `id` (builder.ts: encodeGlobalID is the identity, and each node type names
// `id` as its ID field), so the field reads it without one.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos names its plugins in this global namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      nodeIds: NodeIdsPlugin<Types>;
    }
  }
}

const pluginName = 'nodeIds';

export class NodeIdsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (fieldConfig.name !== 'id' || fieldConfig.graphqlKind !== 'Object') return resolver;
    const type = this.buildCache.getTypeConfig(fieldConfig.parentType);
    const node = (this.builder as unknown as { nodeInterfaceRef(): unknown }).nodeInterfaceRef();
    if (type.kind !== 'Object' || !type.interfaces.includes(node as never)) return resolver;
    return (parent) => String((parent as { id: unknown }).id);
  }
}

SchemaBuilder.registerPlugin(pluginName, NodeIdsPlugin);

export default pluginName;
