// Public IDs: a prefix naming the type, "_", then 20 random lowercase alphanumerics.
// They are also the Relay global IDs, so the prefix alone tells `node(id)` what to load.
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = {
  account: 'acc',
  apiKey: 'key',
  contact: 'ct',
  segment: 'seg',
  importJob: 'imp',
  event: 'evt',
  webhookEndpoint: 'whk',
  webhookDelivery: 'whd',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const BODY_LENGTH = 20;
const ID_PATTERN = /^([a-z]+)_[a-z0-9]{20}$/;

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomString(ALPHABET, BODY_LENGTH)}`;
}

/** The kind an ID claims by its prefix and shape, or null for anything that is no ID of ours. */
export function idKind(id: string): IdKind | null {
  const prefix = ID_PATTERN.exec(id)?.[1];
  const entry = Object.entries(ID_PREFIXES).find(([, value]) => value === prefix);
  return entry ? (entry[0] as IdKind) : null;
}

export function isIdOf(kind: IdKind, id: string): boolean {
  return idKind(id) === kind;
}

/** Uniform random characters from alphabet (rejection sampling, so no character is favoured). */
export function randomString(alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
