// An import runs under the key that started it: a key revoked meanwhile stops it at its next
// batch (issue 11), which is checked inside the batch's own transaction, so that no batch commits
// after the revocation has.
import type { RawSql } from '../../db/transaction.js';

export class KeyRevokedError extends Error {
  constructor() {
    super('the API key that started the import was revoked');
  }
}

export async function checkKeyLive(tx: RawSql, keyHash: string): Promise<void> {
  // FOR SHARE: a revocation waits for this batch, and a batch after it sees it.
  const rows = await tx.$queryRaw<{ live: boolean }[]>`SELECT revoked_at IS NULL AS live FROM api_keys WHERE hash = ${keyHash} FOR SHARE`;
  if (!rows[0]?.live) throw new KeyRevokedError();
}
