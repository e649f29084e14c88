// The operators of segment rules (SEMANTICS.md, Segments), grouped by what they compare.
export const SEGMENT_OPERATORS = [
  'EQUALS',
  'NOT_EQUALS',
  'CONTAINS',
  'NOT_CONTAINS',
  'STARTS_WITH',
  'ENDS_WITH',
  'IN',
  'NOT_IN',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
  'BEFORE',
  'AFTER',
  'EXISTS',
  'NOT_EXISTS',
] as const;
export type SegmentOperator = (typeof SEGMENT_OPERATORS)[number];

export const TEXT_OPERATORS: ReadonlySet<SegmentOperator> = new Set([
  'EQUALS',
  'NOT_EQUALS',
  'CONTAINS',
  'NOT_CONTAINS',
  'STARTS_WITH',
  'ENDS_WITH',
  'IN',
  'NOT_IN',
]);
export const NUMBER_OPERATORS: ReadonlySet<SegmentOperator> = new Set([
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
]);
export const INSTANT_OPERATORS: ReadonlySet<SegmentOperator> = new Set(['BEFORE', 'AFTER']);
export const LIST_OPERATORS: ReadonlySet<SegmentOperator> = new Set(['IN', 'NOT_IN']);
export const PRESENCE_OPERATORS: ReadonlySet<SegmentOperator> = new Set(['EXISTS', 'NOT_EXISTS']);
