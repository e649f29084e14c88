// A field's own argument check, run before its resolver: what a Pothos-built resolver (such as
// t.prismaConnection's, which reads cursors and clamps page sizes before the field's resolve is
// called) would otherwise meet unchecked. A field names its check in `extensions.checkArgs`.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';

export type ArgsCheck = (args: Record<string, unknown>) => void;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos names its plugins in this global namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      checkedArgs: CheckedArgsPlugin<Types>;
    }
  }
}

const pluginName = 'checkedArgs';

export class CheckedArgsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const check = fieldConfig.extensions?.checkArgs as ArgsCheck | undefined;
    if (!check) return resolver;
    return (parent, args, context, info) => {
      check(args as Record<string, unknown>);
      return resolver(parent, args, context, info);
    };
  }
}

SchemaBuilder.registerPlugin(pluginName, CheckedArgsPlugin);

export default pluginName;
