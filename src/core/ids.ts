// Public IDs: a prefix naming the type, "_", then 20 lowercase alphanumerics: the second the ID
// was made (8 hex digits, good until 2106), then 12 random characters. They are also the Relay
// global IDs, so the prefix alone tells `node(id)` what to load.
//
// Why the time first: a bulk write (an import's contacts, their events) then adds its keys at
// the right edge of each primary-key index instead of on random pages all over it. With random
// IDs an import of a million rows touched (and wrote in full to the WAL) pages of indexes larger
// than the buffer cache: 4,274 MB of WAL against 3,613 with these (README, Performance). IDs made
// in SQL (new_id in the time-ordered-ids migration: events, webhook deliveries) follow the same layout.
import { randomFillSync } from 'node:crypto';

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
const TIME_LENGTH = 8;
const RANDOM_LENGTH = 12;
const ID_PATTERN = /^([a-z]+)_[a-z0-9]{20}$/;

export function newId(kind: IdKind, now = Date.now()): string {
  const second = Math.floor(now / 1000)
    .toString(16)
    .padStart(TIME_LENGTH, '0');
  return `${ID_PREFIXES[kind]}_${second}${randomString(ALPHABET, RANDOM_LENGTH)}`;
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
    const byte = randomByte();
    if (byte < limit) out += alphabet[byte % alphabet.length];
  }
  return out;
}

/**
 * Random bytes from the system's generator, drawn 4 KiB at a time, as Node does for randomUUID;
 * each byte is used once. A call per ID was 6 % of an import's thread under a CPU profile, and
 * drawing them in bulk took a 200,000-row import from 15.8 to 15.4–15.7 s (two rounds each).
 */
const pool = Buffer.alloc(4096);
let next = pool.length;

function randomByte(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]!;
}
