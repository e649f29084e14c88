// How many of an import's batches commit at once (issue 15): as many as its share of the imports'
// pool's connections (connectionShare), so that one import can keep more than one database
// backend busy. Batches of different emails commute: each commits whole, and the job's counts
// only add up. A batch that holds an email of one still in flight waits for it, since the rows
// of one email apply in file order (SEMANTICS.md, "CSV import"). Each batch commits on its own,
// so after a failure the committed ones need not be the file's first: CommittedLines says which.

/**
 * One of `running` imports' share of `connections`: all of them alone, an equal part (at least
 * one) while others run. Imports running together then keep one batch each in flight, as issue
 * 11 measured them: no more memory, and a batch waits for a connection behind no more batches.
 */
export function connectionShare(connections: number, running: number): number {
  return Math.max(1, Math.floor(connections / Math.max(1, running)));
}

/** The batches in flight, each with its emails. */
export class BatchWindow {
  private flying = new Map<Promise<void>, ReadonlySet<string>>();

  /** size: how many may be in flight, asked again for each batch. */
  constructor(private readonly size: () => number) {}

  /** Waits until a batch of these emails may start: no batch in flight holds any of them, and fewer than `size()` are in flight. */
  async admit(emails: ReadonlySet<string>): Promise<void> {
    await Promise.all([...this.flying].filter(([, theirs]) => shareAny(emails, theirs)).map(([earlier]) => earlier));
    while (this.flying.size >= this.size()) await Promise.race(this.flying.keys());
  }

  /** Keeps a batch admitted and started in the window until its commit settles; `commit` must not reject. */
  enter(emails: ReadonlySet<string>, commit: Promise<void>): void {
    const running = commit.finally(() => this.flying.delete(running));
    this.flying.set(running, emails);
  }

  /** Resolves once every batch in flight has settled. */
  async drain(): Promise<void> {
    await Promise.all(this.flying.keys());
  }
}

function shareAny(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const email of a) if (b.has(email)) return true;
  return false;
}

/** Which lines of the file an import's committed batches hold, for the failureReason of a job cut short. */
export class CommittedLines {
  /** Each batch's last line, in file order; a batch holds the lines after the one before it. */
  private lastLines: number[] = [];
  private committed = new Set<number>();

  /** Numbers the batch that ends at `lastLine`, the one after the last numbered. */
  open(lastLine: number): number {
    return this.lastLines.push(lastLine) - 1;
  }

  commit(batch: number): void {
    this.committed.add(batch);
  }

  /** "(rows up to line 10001 were imported)", with the lines of any batch committed past a gap. */
  describe(): string {
    let prefix = 0;
    while (this.committed.has(prefix)) prefix++;
    const later = [...this.committed]
      .filter((batch) => batch > prefix)
      .sort((a, b) => a - b)
      .map((batch) => `${this.lastLines[batch - 1]! + 1} to ${this.lastLines[batch]}`);
    const upTo = prefix > 0 ? `rows up to line ${this.lastLines[prefix - 1]}` : null;
    if (later.length === 0) return upTo ? `(${upTo} were imported)` : '(nothing was imported)';
    const lines = `lines ${later.join(', ')}`;
    return upTo ? `(${upTo} were imported, and those of ${lines})` : `(rows of ${lines} were imported)`;
  }
}
