// The API key format. A key is `sk_live_` + 40 base62 characters; only its SHA-256 is stored (a
// key is long and random, so a fast hash is as safe as a slow one here), beside a short prefix
// that tells keys apart in listings and revocations.
import { createHash } from 'node:crypto';
import { randomString } from '../ids.js';

const KEY_PREFIX = 'sk_live_';
const KEY_BODY_LENGTH = 40;
const VISIBLE_PREFIX_LENGTH = KEY_PREFIX.length + 8;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function newKey(): string {
  return KEY_PREFIX + randomString(BASE62, KEY_BODY_LENGTH);
}

export function isKeyShaped(text: string): boolean {
  return text.startsWith(KEY_PREFIX);
}

/** The part of a key (or of a longer prefix of one) that is stored in clear. */
export function visiblePrefix(keyOrPrefix: string): string {
  return keyOrPrefix.slice(0, VISIBLE_PREFIX_LENGTH);
}
