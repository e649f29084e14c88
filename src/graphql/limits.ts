// The limits a request meets before it runs; SEMANTICS.md fixes the page and bulk sizes.
export const QUERY_LIMITS = { depth: 10, breadth: 200, complexity: 20_000 };

/** A connection field costs its page size times what each node costs. */
export function connectionComplexity(args: { first?: number | null; last?: number | null }) {
  return { field: 1, multiplier: args.first ?? args.last ?? DEFAULT_PAGE_SIZE };
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_NODES = 100;
