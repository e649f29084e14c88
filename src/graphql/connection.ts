// Relay connections over keyset pages: argument checks (SEMANTICS.md: 1 to 100, an error
// rather than a clamp), opaque cursors, and a totalCount computed only when it is asked for.
import { parseCursorConnectionArgs } from '@pothos/core';
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { GraphQLError } from 'graphql';
import { type IdKind, isIdOf } from '../core/ids.js';
import type { ArgsCheck } from './checked-args.js';
import type { KeysetWindow, Position } from '../db/keyset.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './limits.js';

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export function badInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument ? { argument } : {}) } });
}

export function checkPageSize(name: string, value: number | null | undefined, max = MAX_PAGE_SIZE): void {
  if (value != null && (!Number.isInteger(value) || value < 1 || value > max)) {
    throw badInput(`${name} must be between 1 and ${max} (got ${value})`, name);
  }
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor(cursor: string, argument: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return [value[0] as string, value[1] as string];
    }
  } catch {
    // falls through to the error below
  }
  throw badInput(`${argument} is not a cursor this list gave out`, argument);
}

/**
 * The check of a t.prismaConnection's arguments (its `extensions.checkArgs`), before Pothos reads
 * them: the page sizes of every connection, and a cursor that t.prismaConnection gave out for a
 * row of this kind (Prisma's cursor is the row's id). Prisma pages from a cursor one way only, so
 * the pairs it cannot answer (before with after or first, after with last) are refused by name.
 */
export function prismaConnectionCheck(kind: IdKind): ArgsCheck {
  return (args: ConnectionArgs) => {
    checkPageSize('first', args.first);
    checkPageSize('last', args.last);
    if (args.first != null && args.last != null) throw badInput('first and last cannot be used together', 'last');
    if (args.after != null && args.before != null) throw badInput('after and before cannot be used together', 'before');
    if (args.before != null && args.first != null) throw badInput('before and first cannot be used together', 'before');
    if (args.after != null && args.last != null) throw badInput('after and last cannot be used together', 'after');
    for (const argument of ['after', 'before'] as const) {
      const cursor = args[argument];
      if (cursor != null && !isPrismaCursorOf(kind, cursor)) {
        throw badInput(`${argument} is not a cursor this list gave out`, argument);
      }
    }
  };
}

function isPrismaCursorOf(kind: IdKind, cursor: string): boolean {
  try {
    const id = parsePrismaCursor(cursor);
    return typeof id === 'string' && isIdOf(kind, id);
  } catch {
    return false;
  }
}

export interface KeysetConnectionOptions<Row> {
  args: ConnectionArgs;
  positionOf(row: Row): Position;
  load(window: KeysetWindow): Promise<Row[]>;
  totalCount: () => Promise<number>;
}

export interface Connection<Row> {
  edges: { cursor: string; node: Row }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };
  totalCount: () => Promise<number>;
}

/** An edge of a page; a class, as an object literal with a getter is far slower to make. */
class Edge<Row> {
  constructor(
    readonly node: Row,
    private readonly cursorOf: (node: Row) => string | null,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node)!;
  }
}

export async function keysetConnection<Row>(options: KeysetConnectionOptions<Row>): Promise<Connection<Row>> {
  const { args } = options;
  checkPageSize('first', args.first);
  checkPageSize('last', args.last);
  if (args.first != null && args.last != null) throw badInput('first and last cannot be used together', 'last');
  const after = args.after ? decodeCursor(args.after, 'after') : null;
  const before = args.before ? decodeCursor(args.before, 'before') : null;

  // One row more than the page tells whether there is another page.
  const { limit, expectedSize, inverted, hasNextPage, hasPreviousPage } = parseCursorConnectionArgs({
    args,
    defaultSize: DEFAULT_PAGE_SIZE,
    maxSize: MAX_PAGE_SIZE,
  });
  const rows = await options.load({ after, before, limit, inverted });
  const page = rows.slice(0, expectedSize);
  if (inverted) page.reverse();
  // Cursors are made when read (getters): most pages are asked for without them.
  const cursorOf = (node: Row | undefined) => (node === undefined ? null : encodeCursor(options.positionOf(node)));
  const edges = page.map((node) => new Edge(node, cursorOf));

  return {
    edges,
    pageInfo: {
      hasNextPage: hasNextPage(rows.length),
      hasPreviousPage: hasPreviousPage(rows.length),
      get startCursor() {
        return cursorOf(page[0]);
      },
      get endCursor() {
        return cursorOf(page.at(-1));
      },
    },
    totalCount: options.totalCount,
  };
}
