// Live keys remembered for a moment, so that a request does not pay a key lookup when the same
// key was checked a moment ago. Staleness is bounded by time alone, the same on PGlite and on
// PostgreSQL and across instances: a key revoked anywhere stops working everywhere within
// VERIFIED_KEY_TTL_MS, with no message to deliver or lose. Unknown and revoked keys are never
// remembered, so a new key works at once and a stream of wrong keys cannot fill the memory.

/** How long a key checked live is taken as live; a revocation reaches every instance within it. */
export const VERIFIED_KEY_TTL_MS = 1000;
/** The most keys remembered at once; past it the oldest go first. */
export const MAX_VERIFIED_KEYS = 10_000;

interface Verified {
  accountId: string;
  /** From the start of the lookup that found the key live: a revocation committed during it counts. */
  expiresAt: number;
}

export class VerifiedKeys {
  readonly #keys = new Map<string, Verified>();
  readonly #pending = new Map<string, Promise<string | null>>();

  constructor(
    private readonly ttlMs = VERIFIED_KEY_TTL_MS,
    private readonly maxKeys = MAX_VERIFIED_KEYS,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  /** The account of the key with this hash: remembered, or found by `lookup` (once for concurrent callers). */
  accountOf(hash: string, lookup: (hash: string) => Promise<string | null>): Promise<string | null> {
    const known = this.#keys.get(hash);
    if (known && known.expiresAt > this.now()) return Promise.resolve(known.accountId);
    const pending = this.#pending.get(hash);
    if (pending) return pending;
    const startedAt = this.now();
    const found = lookup(hash)
      .then((accountId) => {
        this.#keys.delete(hash);
        if (accountId !== null) this.#remember(hash, { accountId, expiresAt: startedAt + this.ttlMs });
        return accountId;
      })
      .finally(() => this.#pending.delete(hash));
    this.#pending.set(hash, found);
    return found;
  }

  /** Forgets every key: this process revoked one, and need not wait for the others to expire. */
  forgetAll(): void {
    this.#keys.clear();
  }

  #remember(hash: string, verified: Verified): void {
    if (this.#keys.size >= this.maxKeys) this.#keys.delete(this.#keys.keys().next().value!);
    this.#keys.set(hash, verified);
  }
}
