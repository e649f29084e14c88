// COPY … TO writes a query's rows as CSV inside the database, far faster than building the text
// in Node, but COPY takes no bind parameters, and every statement here carries values (the
// account, a segment's rules, property keys). So each parameter, which must be written with an
// explicit cast (`${value}::text`), becomes a setting of the current transaction read back with
// that cast, in a subquery so that it is evaluated once per statement rather than once per row:
// (SELECT current_setting('copy_out.p1')::text). The values reach the database only as bind
// parameters of set_config; nothing a user wrote is ever spliced into SQL text.
import type { Prisma } from './generated/prisma/client.js';

export interface CopyStatement {
  /** Sets the parameters for the transaction (SET LOCAL); run it first, in the same transaction. */
  settings: { text: string; values: string[] };
  /** The query, with every parameter read from its setting. */
  select: string;
}

const CAST = /^::[a-z_]+(\[\])?/;

export function copyStatement(query: Prisma.Sql): CopyStatement {
  const { strings, values } = query;
  let select = strings[0]!;
  values.forEach((_, index) => {
    const rest = strings[index + 1]!;
    // Without a cast the parameter's type would come from its context; current_setting is text.
    const cast = CAST.exec(rest)?.[0];
    if (!cast)
      throw new Error(
        `COPY parameter ${index + 1} needs an explicit cast: …${strings[index]!.slice(-40)}$${index + 1}${rest.slice(0, 40)}…`,
      );
    select += `(SELECT current_setting('copy_out.p${index + 1}')${cast})${rest.slice(cast.length)}`;
  });
  const calls = values.map((_, index) => `set_config('copy_out.p${index + 1}', $${index + 1}, true)`);
  return {
    settings: { text: `SELECT ${calls.join(', ') || 'NULL'}`, values: values.map(settingText) },
    select,
  };
}

/** The text a bind parameter would carry, so that the setting casts back to the same value. */
function settingText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  throw new Error(`a COPY parameter cannot be ${value === null ? 'null' : typeof value}`);
}

function arrayElement(value: unknown): string {
  return `"${settingText(value).replace(/["\\]/g, '\\$&')}"`;
}
