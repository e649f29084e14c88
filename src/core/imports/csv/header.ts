// What each column of an imported file means (SEMANTICS.md, CSV import): names are compared
// case-insensitively after trimming, with spaces, "-" and "_" alike; known names and their
// aliases are contact fields, a few are ignored, every other column is a property.
import { PROPERTY_KEY_PATTERN, truncate } from '../../contacts/rules.js';

export type Column = { kind: 'email' | 'firstName' | 'lastName' | 'unsubscribed' | 'ignored' } | { kind: 'property'; key: string };

export type HeaderResult = { ok: true; columns: Column[] } | { ok: false; message: string };

const FIELDS: Record<string, Column['kind']> = {
  email: 'email',
  email_address: 'email',
  e_mail: 'email',
  e_mail_address: 'email',
  first_name: 'firstName',
  firstname: 'firstName',
  last_name: 'lastName',
  lastname: 'lastName',
  unsubscribed: 'unsubscribed',
  // Written by the export; the service owns these, so an import never sets them.
  id: 'ignored',
  created_at: 'ignored',
  updated_at: 'ignored',
  unsubscribed_at: 'ignored',
};

/** The name as compared: trimmed, lower case, runs of spaces, "-" and "_" as one "_". */
export function comparableName(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '_');
}

/** lower_snake_case: `Lifetime Value` → `lifetime_value`. */
function snakeCase(header: string): string {
  return header
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function readHeader(cells: string[]): HeaderResult {
  const columns: Column[] = [];
  const seen = new Map<string, string>();
  for (const cell of cells) {
    const field = FIELDS[comparableName(cell)];
    let column: Column;
    let identity: string;
    if (field) {
      column = { kind: field } as Column;
      identity = field;
    } else {
      const trimmed = cell.trim();
      const key = PROPERTY_KEY_PATTERN.test(trimmed) ? trimmed : snakeCase(trimmed);
      if (!PROPERTY_KEY_PATTERN.test(key)) {
        return {
          ok: false,
          message: `column "${truncate(trimmed)}" cannot be a property name: use 1 to 64 letters, digits, "_" or "-", starting with a letter or "_"`,
        };
      }
      column = { kind: 'property', key };
      identity = `property ${key}`;
    }
    const earlier = seen.get(identity);
    if (earlier !== undefined && field !== 'ignored') {
      return { ok: false, message: `columns "${earlier}" and "${cell.trim()}" name the same field; keep one of them` };
    }
    seen.set(identity, cell.trim());
    columns.push(column);
  }
  if (!columns.some((column) => column.kind === 'email')) {
    return { ok: false, message: 'the file has no email column (the first row must be a header naming one, e.g. "email")' };
  }
  return { ok: true, columns };
}
