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
    filter.add(hashesOf(email));
  }

  mayHave(email: string): boolean {
    const hashes = hashesOf(email);
    return this.filters.some((filter) => filter.mayHave(hashes));
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

  add(hashes: Hashes): void {
    this.added++;
    for (let index = 0; index < HASHES; index++) {
      const bit = this.bitOf(hashes, index);
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  mayHave(hashes: Hashes): boolean {
    for (let index = 0; index < HASHES; index++) {
      const bit = this.bitOf(hashes, index);
      if ((this.bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** The filter's index-th bit for an email: double hashing of its two hashes. */
  private bitOf([first, second]: Hashes, index: number): number {
    return ((first + Math.imul(index, second)) >>> 0) & (this.size - 1);
  }
}

/** Two independent 32-bit hashes of an email, computed once for all the filters. */
type Hashes = readonly [number, number];

function hashesOf(email: string): Hashes {
  return [hash(email, 0x811c9dc5), hash(email, 0x01000193) | 1];
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
