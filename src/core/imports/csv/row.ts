// One data row of an imported file as a contact upsert, by the updateContact rules: an empty cell
// leaves the stored value as it is, and `unsubscribed` can only ever unsubscribe.
import type { ContactUpsert } from '../../contacts/changes.js';
import { checkEmail, checkName, checkProperties, type PropertyPatch, truncate } from '../../contacts/rules.js';
import { unescapeCell } from './cells.js';
import type { Column } from './header.js';

export type RowResult = { ok: true; item: ContactUpsert } | { ok: false; email: string | null; message: string };

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

export function readRow(cells: string[], columns: Column[]): RowResult {
  const emailCell = cellOf(
    cells,
    columns.findIndex((column) => column.kind === 'email'),
  );
  const email = checkEmail(emailCell, ['email']);
  const reported = emailCell.trim() || null;
  if (!email.ok) return { ok: false, email: reported, message: email.error.message };

  if (cells.length > columns.length && cells.slice(columns.length).some((cell) => cell.trim() !== '')) {
    return { ok: false, email: email.value, message: `the row has ${cells.length} cells but the header has ${columns.length} columns` };
  }
  for (const cell of cells) {
    if (cell.includes('\uFFFD'))
      return { ok: false, email: email.value, message: 'the row is not valid UTF-8 text; save the file as UTF-8' };
  }

  const item: ContactUpsert = { email: email.value };
  const properties: PropertyPatch = {};
  let hasProperties = false;
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index]!;
    const cell = cellOf(cells, index);
    if (cell.trim() === '') continue;
    switch (column.kind) {
      case 'firstName':
      case 'lastName': {
        const name = checkName(cell, column.kind, [column.kind]);
        if (!name.ok) return { ok: false, email: email.value, message: name.error.message };
        item[column.kind] = name.value;
        break;
      }
      case 'unsubscribed': {
        const flag = cell.trim().toLowerCase();
        if (TRUE.has(flag)) item.unsubscribed = true;
        else if (!FALSE.has(flag))
          return {
            ok: false,
            email: email.value,
            message: `unsubscribed must be true/false, 1/0 or yes/no (got "${truncate(cell.trim())}")`,
          };
        // false never resubscribes: only resubscribeContact undoes an opt-out.
        break;
      }
      case 'property':
        properties[column.key] = cell;
        hasProperties = true;
        break;
      default:
        break;
    }
  }
  if (hasProperties) {
    const checked = checkProperties(properties, ['properties'], { allowNull: false });
    if (!checked.ok)
      return { ok: false, email: email.value, message: `${'key' in checked ? checked.key : 'properties'}: ${checked.error.message}` };
    item.properties = checked.value;
  }
  return { ok: true, item };
}

/** A cell with the export's formula escape undone; a missing cell (a short row) is empty. */
function cellOf(cells: string[], index: number): string {
  const cell = cells[index];
  return cell === undefined ? '' : unescapeCell(cell);
}
