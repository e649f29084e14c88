// The limits a request meets before it runs; SEMANTICS.md fixes the page and bulk sizes.
export const QUERY_LIMITS = { depth: 12, breadth: 200, complexity: 20_000 };

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_NODES = 100;
