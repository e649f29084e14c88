// Limits a GraphQL document meets before anything else looks at it (issue 11): its length and
// token count (graphql-js stops parsing at maxTokens, so a huge document costs little), then one
// cheap pass over the tree for aliases, nesting and the cost of introspection, which the cost
// limit of @pothos/plugin-complexity (schema/limits.ts) does not see: it counts only the schema's
// own fields, and only once a root field resolves. A refused document is one answer with one
// error coded QUERY_TOO_COMPLEX, as the complexity limits' are, without locations (locating
// thousands of errors in a long text was most of the cost of refusing one).
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type SelectionSetNode,
  type Source,
  visit,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export const DOCUMENT_LIMITS = {
  /** Characters of the query text. */
  length: 100_000,
  /** graphql-js tokens (names, punctuation, values). */
  tokens: 5_000,
  /** Aliased fields in the whole document. */
  aliases: 100,
  /** Nested selection sets on any path, fragments and introspection included. */
  nesting: 20,
  /** Estimated values an introspection answer holds (see introspectionSizes). */
  introspectionCost: 100_000,
};

type Limit = keyof typeof DOCUMENT_LIMITS;

export function useDocumentLimits(schema: GraphQLSchema): Plugin {
  const sizes = introspectionSizes(schema);
  return {
    // The checked parse replaces graphql-js's, so Yoga's document cache (which runs after this
    // plugin and answers a known text without parsing) keeps what it checked: a document is
    // measured once, not on every request.
    onParse({ setParseFn }) {
      setParseFn((source: string | Source) => {
        const text = typeof source === 'string' ? source : source.body;
        if (text.length > DOCUMENT_LIMITS.length) throw tooComplex('length', text.length);
        let document: DocumentNode;
        try {
          document = parse(text, { maxTokens: DOCUMENT_LIMITS.tokens });
        } catch (error) {
          if (error instanceof GraphQLError && /Document contains more \w+ \d+ tokens/.test(error.message)) throw tooComplex('tokens');
          if (error instanceof RangeError) throw tooComplex('nesting');
          if (error instanceof GraphQLError) {
            throw new GraphQLError(error.message, {
              source: error.source,
              positions: error.positions,
              extensions: { code: 'GRAPHQL_PARSE_FAILED' },
            });
          }
          throw error;
        }
        checkDocument(document, sizes);
        return document;
      });
    },
  };
}

/** Throws the first limit the document passes. */
export function checkDocument(document: DocumentNode, sizes: IntrospectionSizes): void {
  let aliases = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases++;
    },
  });
  if (aliases > DOCUMENT_LIMITS.aliases) throw tooComplex('aliases', aliases);

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measure = new Measure(fragments, sizes);
  let cost = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) cost += measure.selectionSet(definition.selectionSet, false, 1).cost;
  }
  if (cost > DOCUMENT_LIMITS.introspectionCost) throw tooComplex('introspectionCost', cost);
}

interface Size {
  /** Introspection values, each list counted by the schema's average length of that list. */
  cost: number;
  /** Selection sets below and including this one. */
  height: number;
}

class Measure {
  /** By fragment name and whether it is read inside introspection. */
  private memo = new Map<string, Size>();
  private active = new Set<string>();

  constructor(
    private fragments: Map<string, FragmentDefinitionNode>,
    private sizes: IntrospectionSizes,
  ) {}

  /** depth: how deep this selection set is; the walk stops past the nesting limit, so it stays shallow. */
  selectionSet(set: SelectionSetNode, introspection: boolean, depth: number): Size {
    if (depth > DOCUMENT_LIMITS.nesting) throw tooComplex('nesting');
    let cost = 0;
    let height = 0;
    for (const selection of set.selections) {
      let inner: Size = { cost: 0, height: 0 };
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const inside = introspection || name === '__schema' || name === '__type';
        if (selection.selectionSet) inner = this.selectionSet(selection.selectionSet, inside, depth + 1);
        const multiplier = inside ? (this.sizes[name] ?? 1) : 1;
        inner = { cost: (inside ? 1 : 0) + multiplier * inner.cost, height: inner.height };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = this.selectionSet(selection.selectionSet, introspection, depth + 1);
      } else {
        inner = this.fragment(selection.name.value, introspection, depth);
      }
      cost += inner.cost;
      height = Math.max(height, inner.height);
    }
    return { cost, height: height + 1 };
  }

  private fragment(name: string, introspection: boolean, depth: number): Size {
    const key = `${introspection}:${name}`;
    const fragment = this.fragments.get(name);
    // Unknown and cyclic spreads are left to validation, which names them.
    if (!fragment || this.active.has(key)) return { cost: 0, height: 0 };
    let size = this.memo.get(key);
    if (!size) {
      this.active.add(key);
      try {
        size = this.selectionSet(fragment.selectionSet, introspection, 1);
      } finally {
        this.active.delete(key);
      }
      this.memo.set(key, size);
    }
    if (depth + size.height > DOCUMENT_LIMITS.nesting + 1) throw tooComplex('nesting');
    return size;
  }
}

/** How many items each list field of introspection holds in this schema, on average (at least 1). */
export type IntrospectionSizes = Record<string, number>;

export function introspectionSizes(schema: GraphQLSchema): IntrospectionSizes {
  const types = Object.values(schema.getTypeMap());
  const withFields = types.filter((type) => isObjectType(type) || isInterfaceType(type));
  const fields = withFields.flatMap((type) => Object.values(type.getFields()));
  const inputs = types.filter(isInputObjectType);
  const enums = types.filter(isEnumType);
  const average = (total: number, count: number) => Math.max(1, Math.ceil(total / Math.max(count, 1)));
  return {
    types: types.length,
    directives: schema.getDirectives().length,
    fields: average(fields.length, withFields.length),
    args: average(
      fields.reduce((sum, field) => sum + field.args.length, 0),
      fields.length,
    ),
    inputFields: average(
      inputs.reduce((sum, type) => sum + Object.keys(type.getFields()).length, 0),
      inputs.length,
    ),
    enumValues: average(
      enums.reduce((sum, type) => sum + type.getValues().length, 0),
      enums.length,
    ),
    interfaces: average(
      withFields.reduce((sum, type) => sum + type.getInterfaces().length, 0),
      withFields.length,
    ),
    possibleTypes: average(
      withFields.filter(isInterfaceType).reduce((sum, type) => sum + schema.getPossibleTypes(type).length, 0),
      withFields.filter(isInterfaceType).length,
    ),
  };
}

const WHAT: Record<Limit, string> = {
  length: 'long (characters)',
  tokens: 'long (tokens)',
  aliases: 'broad (aliases)',
  nesting: 'deep (nested selections)',
  introspectionCost: 'costly (introspection)',
};

function tooComplex(limit: Limit, value?: number): GraphQLError {
  const max = DOCUMENT_LIMITS[limit];
  const measured = value === undefined ? `more than ${max}` : String(value);
  return new GraphQLError(`Query is too ${WHAT[limit]}: its ${limit} is ${measured}, at most ${max} is allowed`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', limit, max, http: { status: 400 } },
  });
}
