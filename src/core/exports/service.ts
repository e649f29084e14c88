// Exporting an account's contacts, or one segment's members, as CSV (SEMANTICS.md, CSV export).
import type { Database } from '../../db/database.js';
import type { SegmentMembers } from '../segments/definition.js';
import { writeContactsCsv } from './repository/contacts-csv.js';

/** Writes the whole CSV through write, in order; write may wait (backpressure), and may throw to stop. */
export function exportContacts(
  db: Database,
  accountId: string,
  segment: SegmentMembers | null,
  write: (chunk: string | Buffer) => Promise<void> | void,
): Promise<void> {
  return writeContactsCsv(db, { accountId, segment }, write);
}
