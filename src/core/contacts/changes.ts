// A mutation's contact fields, checked and normalised into changes to store. A field left out
// (undefined) is not changed; one given as null is cleared, where clearing means anything.
import { type UserError, userError } from '../user-error.js';
import { CONTACT_LIMITS, checkEmail, checkName, checkProperties, type PropertyPatch, splitPatch } from './rules.js';

/** The contact fields of CreateContactInput and UpdateContactInput, as GraphQL gives them. */
export interface ContactFieldsInput {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  properties?: Record<string, unknown> | null;
  unsubscribed?: boolean | null;
}

export interface ContactChanges {
  email?: string;
  firstName?: string | null;
  lastName?: string | null;
  /** A patch: null removes a key (on creation there is nothing to remove, so it is skipped). */
  properties?: PropertyPatch;
  unsubscribed?: boolean;
}

/** One contact to create or update, keyed by its email. A field left undefined is not given: an update keeps it. */
export type ContactUpsert = ContactChanges & { email: string };

export type CheckedChanges = { ok: true; value: ContactChanges } | { ok: false; errors: UserError[] };

/**
 * Checks every given field and reports each bad one at its name (["email"], ["properties", key]).
 * `propertyNulls`: whether a property set to null is allowed (it is in anything that may update).
 */
export function checkContactFields(input: ContactFieldsInput, { propertyNulls }: { propertyNulls: boolean }): CheckedChanges {
  const errors: UserError[] = [];
  const value: ContactChanges = {};

  if (input.email === null) errors.push(userError('INVALID', ['email'], 'email cannot be removed'));
  if (input.email != null) {
    const email = checkEmail(input.email, ['email']);
    if (email.ok) value.email = email.value;
    else errors.push(email.error);
  }
  for (const field of ['firstName', 'lastName'] as const) {
    if (input[field] === undefined) continue;
    const name = checkName(input[field], field, [field]);
    if (name.ok) value[field] = name.value;
    else errors.push(name.error);
  }
  if (input.properties != null) {
    const properties = checkProperties(input.properties, ['properties'], { allowNull: propertyNulls });
    if (properties.ok) value.properties = properties.value;
    else errors.push(properties.error);
  }
  if (input.unsubscribed != null) value.unsubscribed = input.unsubscribed;

  return errors.length ? { ok: false, errors } : { ok: true, value };
}

/** The properties after a patch: given keys set, null ones removed. */
export function mergeProperties(current: Record<string, unknown>, patch: PropertyPatch = {}): Record<string, unknown> {
  const { set, remove } = splitPatch(patch);
  const merged = { ...current, ...set };
  for (const key of remove) delete merged[key];
  return merged;
}

export function propertyLimitError(): UserError {
  return userError(
    'LIMIT_EXCEEDED',
    ['properties'],
    `a contact holds at most ${CONTACT_LIMITS.propertyCount} properties, and this change would pass that`,
  );
}
