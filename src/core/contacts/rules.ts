// What a contact may hold (SEMANTICS.md, Contacts): normalisation and validation of its fields,
// independent of GraphQL and CSV so that every way in (mutations, bulk upsert, import) agrees.
import { type ErrorPath, type UserError, userError } from '../user-error.js';

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

/**
 * A valid property key. "__proto__" fits the pattern but is refused: JavaScript code (ours, the
 * ORM's, every client's) turns it into an object's prototype instead of a key, so it would vanish.
 */
export function isPropertyKey(key: string): boolean {
  return PROPERTY_KEY_PATTERN.test(key) && key !== '__proto__';
}

export const PROPERTY_KEY_RULE =
  'property keys are 1 to 64 letters, digits, "_" or "-", starting with a letter or "_" (and not "__proto__")';

// A practical address check: dot-atom local part, a domain of LDH labels with a letter TLD.
const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

// PostgreSQL text cannot hold NUL, and jsonb refuses unpaired UTF-16 surrogates.
// eslint-disable-next-line no-control-regex -- NUL is exactly the character to refuse
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether PostgreSQL can store (and compare) this text as it is. */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

export const UNSTORABLE_MESSAGE = 'holds a character that cannot be stored (NUL or an unpaired surrogate)';

type Checked<T> = { ok: true; value: T } | { ok: false; error: UserError };

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function checkEmail(raw: string, field: ErrorPath): Checked<string> {
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

/** Trimmed; an empty string is stored as null. `label` names the field in messages. */
export function checkName(raw: string | null | undefined, label: string, field: ErrorPath): Checked<string | null> {
  const name = raw?.trim() ?? '';
  if (name.length > CONTACT_LIMITS.nameLength) {
    return fail('TOO_LONG', field, `${label} must be at most ${CONTACT_LIMITS.nameLength} characters`);
  }
  if (!isStorableText(name)) return fail('INVALID', field, `${label} ${UNSTORABLE_MESSAGE}`);
  return { ok: true, value: name || null };
}

/**
 * Checks a properties object. With allowNull (updates), a null value means "remove this key".
 * The key count is checked here for what is given; the count after a merge is checked where the
 * merge happens.
 */
export function checkProperties(
  raw: Record<string, unknown>,
  field: ErrorPath,
  { allowNull }: { allowNull: boolean },
): Checked<PropertyPatch> | { ok: false; error: UserError; key: string } {
  const entries = Object.entries(raw);
  if (entries.length > CONTACT_LIMITS.propertyCount) {
    return fail('LIMIT_EXCEEDED', field, `a contact holds at most ${CONTACT_LIMITS.propertyCount} properties (got ${entries.length})`);
  }
  for (const [key, value] of entries) {
    const problem = propertyProblem(key, value, allowNull);
    if (problem) return { ok: false, error: userError(problem.code, [...field, key], problem.message), key };
  }
  return { ok: true, value: raw as PropertyPatch };
}

function propertyProblem(key: string, value: unknown, allowNull: boolean): { code: UserError['code']; message: string } | null {
  if (!isPropertyKey(key)) return { code: 'INVALID', message: PROPERTY_KEY_RULE };
  if (value === null && allowNull) return null;
  if (typeof value === 'string') {
    if (value.length > CONTACT_LIMITS.propertyValueLength) {
      return { code: 'TOO_LONG', message: `property values must be at most ${CONTACT_LIMITS.propertyValueLength} characters` };
    }
    if (!isStorableText(value)) return { code: 'INVALID', message: `the value ${UNSTORABLE_MESSAGE}` };
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { code: 'INVALID', message: 'property numbers must be finite' };
  } else if (typeof value !== 'boolean') {
    return { code: 'INVALID', message: 'property values must be strings, numbers or booleans (no objects, arrays or null)' };
  }
  return null;
}

/** Splits a patch into the values to set and the keys to remove. */
export function splitPatch(patch: PropertyPatch): { set: Record<string, PropertyValue>; remove: string[] } {
  const entries = Object.entries(patch);
  return {
    // fromEntries defines each key as data, so a key such as "__proto__" is kept like any other.
    set: Object.fromEntries(entries.filter((entry): entry is [string, PropertyValue] => entry[1] !== null)),
    remove: entries.filter(([, value]) => value === null).map(([key]) => key),
  };
}

function fail(code: UserError['code'], field: ErrorPath, message: string): { ok: false; error: UserError } {
  return { ok: false, error: userError(code, field, message) };
}

/** A piece of user input quoted in a message, at most 80 characters (a stored row error stays small). */
export function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
