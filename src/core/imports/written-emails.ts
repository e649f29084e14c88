// "When one email appears on several rows, the contact counts once", across batches too: a row
// for a contact this same import already created or updated is not counted again. Remembering
// every email written would grow with the file (100 MB and more at a million rows), so a Bloom
// filter of fixed size remembers them instead: 8 MiB whatever the file. A hit is only a
// candidate, settled in SQL by the contact's last update; a miss is certain. At a million emails
// about one hit in 12,000 is false, at ten million one in 20: each costs a row in that query,
// never a wrong count.

const BITS = 2 ** 26;
const HASHES = 3;

export class WrittenEmails {
  private bits = new Uint32Array(BITS / 32);

  add(email: string): void {
    for (const bit of bitsOf(email)) this.bits[bit >>> 5]! |= 1 << (bit & 31);
  }

  mayHave(email: string): boolean {
    for (const bit of bitsOf(email)) if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    return true;
  }
}

/** The filter's bits for an email: double hashing of two independent 32-bit hashes. */
function bitsOf(email: string): number[] {
  const first = hash(email, 0x811c9dc5);
  const second = hash(email, 0x01000193) | 1;
  const bits: number[] = [];
  for (let index = 0; index < HASHES; index++) bits.push(((first + Math.imul(index, second)) >>> 0) & (BITS - 1));
  return bits;
}

/** FNV-1a from a chosen seed, with a final mix so that nearby emails spread over the whole filter. */
function hash(text: string, seed: number): number {
  let value = seed;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  return value >>> 0;
}
