// "When one email appears on several rows, the contact counts once", across batches too: a row
// that updates a contact this same import created earlier is not counted again. Remembering every
// created email would cost ~100 bytes each (100 MB at a million rows), so only a 32-bit hash is
// kept; a hash hit is only a candidate, settled in SQL by the contact's creation time.

export class CreatedEmails {
  private hashes = new Set<number>();

  add(email: string): void {
    this.hashes.add(fnv1a(email));
  }

  mayHave(email: string): boolean {
    return this.hashes.has(fnv1a(email));
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
