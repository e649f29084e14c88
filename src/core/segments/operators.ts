// The operators of segment rules (SEMANTICS.md, Segments), grouped by what they compare; the whole
// list is the groups in order (the order of the GraphQL enum).
const TEXT = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS', 'STARTS_WITH', 'ENDS_WITH', 'IN', 'NOT_IN'] as const;
const NUMBER = ['GREATER_THAN', 'GREATER_THAN_OR_EQUAL', 'LESS_THAN', 'LESS_THAN_OR_EQUAL'] as const;
const INSTANT = ['BEFORE', 'AFTER'] as const;
const PRESENCE = ['EXISTS', 'NOT_EXISTS'] as const;

export const SEGMENT_OPERATORS = [...TEXT, ...NUMBER, ...INSTANT, ...PRESENCE] as const;
export type SegmentOperator = (typeof SEGMENT_OPERATORS)[number];

export const TEXT_OPERATORS: ReadonlySet<SegmentOperator> = new Set(TEXT);
export const NUMBER_OPERATORS: ReadonlySet<SegmentOperator> = new Set(NUMBER);
export const INSTANT_OPERATORS: ReadonlySet<SegmentOperator> = new Set(INSTANT);
export const LIST_OPERATORS: ReadonlySet<SegmentOperator> = new Set(['IN', 'NOT_IN']);
export const PRESENCE_OPERATORS: ReadonlySet<SegmentOperator> = new Set(PRESENCE);
