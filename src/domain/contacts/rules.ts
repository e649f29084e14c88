// What a contact may hold (SEMANTICS.md, Contacts): normalisation and validation of its fields,
// independent of GraphQL and CSV so that every way in (mutations, bulk upsert, import) agrees.
import { type UserError, userError } from '../user-error.js';

export const CONTACT_LIMITS = {
  emailLength: 254,
  nameLength: 200,
  propertyCount: 100,
  propertyKeyLength: 64,
  propertyValueLength: 2000,
} as const;

export type PropertyValue = string | number | boolean;
/** Properties as given to an update: null removes the key. */
export type PropertyPatch = Record<string, PropertyValue | null>;

export const PROPERTY_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

// A practical address check: dot-atom local part, a domain of LDH labels with a letter TLD.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

type Checked<T> = { ok: true; value: T } | { ok: false; error: UserError };

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function checkEmail(raw: string, field: string[]): Checked<string> {
  const email = normaliseEmail(raw);
  if (email.length > CONTACT_LIMITS.emailLength) {
    return fail('TOO_LONG', field, `email must be at most ${CONTACT_LIMITS.emailLength} characters`);
  }
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (at < 1 || local.length > 64 || !LOCAL_PART.test(local) || !DOMAIN.test(domain)) {
    return fail('INVALID', field, email ? `"${truncate(email)}" is not a valid email address` : 'email is required');
  }
  return { ok: true, value: email };
}

/** Trimmed; an empty string is stored as null. */
export function checkName(raw: string | null | undefined, field: string[]): Checked<string | null> {
  const name = raw?.trim() ?? '';
  if (name.length > CONTACT_LIMITS.nameLength) {
    return fail('TOO_LONG', field, `${field.at(-1)} must be at most ${CONTACT_LIMITS.nameLength} characters`);
  }
  return { ok: true, value: name || null };
}

/**
 * Checks a properties object. With allowNull (updates), a null value means "remove this key".
 * The key count is checked here for what is given; the count after a merge is checked where the
 * merge happens.
 */
export function checkProperties(raw: Record<string, unknown>, field: string[], { allowNull }: { allowNull: boolean }): Checked<PropertyPatch> {
  const entries = Object.entries(raw);
  if (entries.length > CONTACT_LIMITS.propertyCount) {
    return fail('LIMIT_EXCEEDED', field, `a contact holds at most ${CONTACT_LIMITS.propertyCount} properties (got ${entries.length})`);
  }
  for (const [key, value] of entries) {
    const path = [...field, key];
    if (!PROPERTY_KEY_PATTERN.test(key)) {
      return fail('INVALID', path, 'property keys are 1 to 64 letters, digits, "_" or "-", starting with a letter or "_"');
    }
    if (value === null && allowNull) continue;
    if (typeof value === 'string') {
      if (value.length > CONTACT_LIMITS.propertyValueLength) {
        return fail('TOO_LONG', path, `property values must be at most ${CONTACT_LIMITS.propertyValueLength} characters`);
      }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return fail('INVALID', path, 'property numbers must be finite');
    } else if (typeof value !== 'boolean') {
      return fail('INVALID', path, 'property values must be strings, numbers or booleans (no objects, arrays or null)');
    }
  }
  return { ok: true, value: raw as PropertyPatch };
}

/** Splits a patch into the values to set and the keys to remove. */
export function splitPatch(patch: PropertyPatch): { set: Record<string, PropertyValue>; remove: string[] } {
  const set: Record<string, PropertyValue> = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) remove.push(key);
    else set[key] = value;
  }
  return { set, remove };
}

function fail(code: UserError['code'], field: string[], message: string): { ok: false; error: UserError } {
  return { ok: false, error: userError(code, field, message) };
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
