// "When one email appears on several rows, the contact counts once", across batches too: a row
// for a contact this same import already created or updated is not counted again. Remembering
// every email written would grow with the file (100 MB and more at a million rows), so Bloom
// filters remember them instead. A hit is only a candidate, settled in SQL by the contact's last
// update; a miss is certain. The filters grow with the import, 128 KiB first and each next one
// four times larger, up to 8 MiB: a small file's import holds well under a megabyte (eight
// imports of wide rows held 64 MiB with one fixed 8 MiB filter each, measured under
// bench:isolation). Each filter takes 64 bits per email before the next one starts (the last
// takes all that come), so at a million emails about one hit in 3,000 is false, at ten million
// one in 23: each costs a row in that query, never a wrong count.

const FIRST_BITS = 2 ** 20;
const LAST_BITS = 2 ** 26;
const GROWTH = 4;
const BITS_PER_EMAIL = 64;
const HASHES = 3;

export class WrittenEmails {
  private filters = [new BloomFilter(FIRST_BITS)];

  add(email: string): void {
    let filter = this.filters.at(-1)!;
    if (filter.added >= filter.size / BITS_PER_EMAIL && filter.size < LAST_BITS) {
      this.filters.push((filter = new BloomFilter(filter.size * GROWTH)));
    }
    filter.add(email);
  }

  mayHave(email: string): boolean {
    return this.filters.some((filter) => filter.mayHave(email));
  }

  /** The filters' memory, in bytes. */
  get bytes(): number {
    return this.filters.reduce((sum, filter) => sum + filter.size / 8, 0);
  }
}

class BloomFilter {
  private bits: Uint32Array;
  added = 0;

  /** size: a power of two, in bits. */
  constructor(readonly size: number) {
    this.bits = new Uint32Array(size / 32);
  }

  add(email: string): void {
    this.added++;
    for (const bit of this.bitsOf(email)) this.bits[bit >>> 5]! |= 1 << (bit & 31);
  }

  mayHave(email: string): boolean {
    for (const bit of this.bitsOf(email)) if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    return true;
  }

  /** The filter's bits for an email: double hashing of two independent 32-bit hashes. */
  private bitsOf(email: string): number[] {
    const first = hash(email, 0x811c9dc5);
    const second = hash(email, 0x01000193) | 1;
    const bits: number[] = [];
    for (let index = 0; index < HASHES; index++) bits.push(((first + Math.imul(index, second)) >>> 0) & (this.size - 1));
    return bits;
  }
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
