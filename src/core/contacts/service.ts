// What can be done to an account's contacts, in domain values: checked input in, a contact (or
// ids and counts) or user errors out, every error at its path in the input. Surfaces call these
// and only translate; the SQL is in repository/.
import type { Database } from '../../db/database.js';
import { isIdOf } from '../ids.js';
import { normaliseEmail } from './rules.js';
import { nested, type Outcome, type UserError, userError } from '../user-error.js';
import { type ContactFieldsInput, type ContactUpsert, checkContactFields, propertyLimitError } from './changes.js';
import type { Contact } from './contact.js';
import type { KeysetWindow } from '../../db/keyset.js';
import {
  type ContactFields,
  type ContactFilter,
  type ContactOrder,
  countContacts,
  listContacts,
  listContactsByOffset,
  listPartialContacts,
} from './repository/listing.js';
import type { PartialContact } from './repository/rows.js';
import { upsertContactBatch } from './repository/upsert.js';
import {
  deleteContacts as deleteContactRows,
  findContactByEmail,
  findContacts,
  insertContact,
  setUnsubscribed,
  type UpdateOutcome,
  updateContact as updateContactRow,
} from './repository/writes.js';
import { setTransaction, singleStatement } from '../../db/transaction.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Caller } from '../events/service.js';

/** The most contacts one bulk call takes (SEMANTICS.md); more is a limit, refused by the surface. */
export const MAX_BULK_CONTACTS = 1000;

const failed = <T>(...errors: UserError[]): Outcome<T> => ({ ok: false, errors });
const NOT_FOUND = userError('NOT_FOUND', ['id'], 'there is no contact with this id');

export async function createContact(
  db: Database,
  caller: Caller,
  input: ContactFieldsInput & { email: string },
): Promise<Outcome<Contact>> {
  const checked = checkContactFields(input, { propertyNulls: false });
  if (!checked.ok) return failed(...checked.errors);
  const email = checked.value.email!; // given, so checked
  const contact = await insertContact(singleStatement(db), caller, { ...checked.value, email });
  if (!contact) return failed(userError('TAKEN', ['email'], `${email} is already a contact in this account`));
  return { ok: true, value: contact };
}

/** Changes only the fields given; properties merge key by key, a key given as null is removed. */
export async function updateContact(db: Database, caller: Caller, id: string, fields: ContactFieldsInput): Promise<Outcome<Contact>> {
  const checked = checkContactFields(fields, { propertyNulls: true });
  if (!checked.ok) return failed(...checked.errors);
  if (!isIdOf('contact', id)) return failed(NOT_FOUND);
  let outcome: UpdateOutcome;
  try {
    outcome = await setTransaction(db, (tx) => updateContactRow(tx, caller, id, checked.value));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return failed(userError('TAKEN', ['email'], `${checked.value.email} is already another contact in this account`));
  }
  if ('contact' in outcome) return { ok: true, value: outcome.contact };
  switch (outcome.error) {
    case 'NOT_FOUND':
      return failed(NOT_FOUND);
    case 'LIMIT_EXCEEDED':
      return failed(propertyLimitError());
  }
}

/** Removes the contact for good, with its segment memberships; answers its id. */
export async function deleteContact(db: Database, caller: Caller, id: string): Promise<Outcome<string>> {
  const [deleted] = isIdOf('contact', id) ? await deleteContactsWithEvents(db, caller, [id]) : [];
  return deleted ? { ok: true, value: deleted.id } : failed(NOT_FOUND);
}

/** Unsubscribes (keeping the first unsubscribedAt) or resubscribes the contact. */
export async function setSubscription(db: Database, caller: Caller, id: string, unsubscribed: boolean): Promise<Outcome<Contact>> {
  if (!isIdOf('contact', id)) return failed(NOT_FOUND);
  const contact = await setUnsubscribed(singleStatement(db), caller, id, unsubscribed);
  return contact ? { ok: true, value: contact } : failed(NOT_FOUND);
}

export interface UpsertResult {
  created: number;
  updated: number;
  /** Each contact written, once, in the order of its first item. */
  contactIds: string[];
  /** In item order, each at ["contacts", index, …]. */
  errors: UserError[];
}

/**
 * Creates new emails and updates known ones (by the updateContact rules); items that fail are
 * reported and skipped. An email given twice applies in order and counts once as created or
 * updated, then as updated.
 */
export async function upsertContacts(db: Database, caller: Caller, inputs: readonly ContactFieldsInput[]): Promise<UpsertResult> {
  const errorsOf: UserError[][] = inputs.map(() => []);
  const valid: { index: number; item: ContactUpsert }[] = [];
  inputs.forEach((fields, index) => {
    const checked = checkContactFields(fields, { propertyNulls: true });
    if (checked.ok) valid.push({ index, item: { ...checked.value, email: checked.value.email! } });
    else errorsOf[index]!.push(...checked.errors);
  });
  const outcome = valid.length
    ? await setTransaction(db, (tx) =>
        upsertContactBatch(
          tx,
          caller,
          valid.map(({ item }) => item),
        ),
      )
    : { rows: [], overLimit: [] };

  const rows = new Map(outcome.rows.map((row) => [row.email, row]));
  const seen = new Set<string>();
  let created = 0;
  let updated = 0;
  for (const { index, item } of valid) {
    const row = rows.get(item.email);
    if (!row) errorsOf[index]!.push(propertyLimitError());
    else if (row.created && !seen.has(item.email)) created += 1;
    else updated += 1;
    seen.add(item.email);
  }
  return {
    created,
    updated,
    contactIds: outcome.rows.map((row) => row.id),
    errors: errorsOf.flatMap((errors, index) => nested(['contacts', index], errors)),
  };
}

/** Deletes those of `ids` the account has; each other id is a NOT_FOUND at ["ids", index]. */
export async function deleteContacts(
  db: Database,
  caller: Caller,
  ids: readonly string[],
): Promise<{ deletedIds: string[]; errors: UserError[] }> {
  const deleted = new Set(
    (
      await deleteContactsWithEvents(
        db,
        caller,
        ids.filter((id) => isIdOf('contact', id)),
      )
    ).map((contact) => contact.id),
  );
  return {
    deletedIds: [...new Set(ids.filter((id) => deleted.has(id)))],
    errors: ids.flatMap((id, index) =>
      deleted.has(id) ? [] : [userError('NOT_FOUND', ['ids', index], 'there is no contact with this id')],
    ),
  };
}

function deleteContactsWithEvents(db: Database, caller: Caller, ids: readonly string[]): Promise<Contact[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return deleteContactRows(singleStatement(db), caller, ids);
}

/** The account's contacts with these ids, in the order of `ids`. */
export function contactsById(db: Database, accountId: string, ids: string[]): Promise<Contact[]> {
  return findContacts(db.prisma, accountId, ids);
}

/** The account's contact with this id, or with this email (normalised); null for anything else. */
export async function findContact(db: Database, accountId: string, idOrEmail: string): Promise<Contact | null> {
  if (isIdOf('contact', idOrEmail)) return (await findContacts(db.prisma, accountId, [idOrEmail]))[0] ?? null;
  return idOrEmail.includes('@') ? findContactByEmail(db.prisma, accountId, normaliseEmail(idOrEmail)) : null;
}

export {
  type ContactFields,
  type ContactFilter,
  type ContactOrder,
  contactPosition,
  DEFAULT_CONTACT_ORDER,
  fitsOrder,
} from './repository/listing.js';
export type { ContactField, PartialContact } from './repository/rows.js';

/** A keyset page of the contacts a filter selects, in `order`. */
export function contactPage(db: Database, filter: ContactFilter, order: ContactOrder, window: KeysetWindow): Promise<Contact[]> {
  return listContacts(db, filter, order, window);
}

/** The same page for a reader of some fields only: each contact holds those (and its position in the order), not all. */
export function partialContactPage(
  db: Database,
  filter: ContactFilter,
  order: ContactOrder,
  window: KeysetWindow,
  fields: ContactFields,
): Promise<PartialContact[]> {
  return listPartialContacts(db, filter, order, window, fields);
}

/** A numbered page (offset paging) of the same list. */
export function contactPageAt(db: Database, filter: ContactFilter, order: ContactOrder, offset: number, limit: number): Promise<Contact[]> {
  return listContactsByOffset(db, filter, order, offset, limit);
}

/** The exact number of contacts the filter selects. */
export function contactCount(db: Database, filter: ContactFilter): Promise<number> {
  return countContacts(db, filter);
}
