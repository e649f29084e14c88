// The import's batches in flight (src/core/imports/batch-window.ts): as many at once as there are
// connections, but never two that hold the same email, since its rows apply in file order.
import { describe, expect, it } from 'vitest';
import { BatchWindow, CommittedLines, connectionShare } from '../../src/core/imports/batch-window.js';

/** A commit the test settles by hand. */
function commitOf() {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  return { done, settle };
}

/** Whether `promise` has settled once everything already queued has run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true));
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

const emails = (...list: string[]) => new Set(list);

describe("an import's batch window", () => {
  it('admits a batch of other emails while one is in flight, up to its size', async () => {
    const window = new BatchWindow(() => 2);
    const first = commitOf();
    await window.admit(emails('a@example.com'));
    window.enter(emails('a@example.com'), first.done);
    expect(await hasSettled(window.admit(emails('b@example.com')))).toBe(true);
    const second = commitOf();
    window.enter(emails('b@example.com'), second.done);

    const third = window.admit(emails('c@example.com'));
    expect(await hasSettled(third)).toBe(false);
    second.settle();
    expect(await hasSettled(third)).toBe(true);
    first.settle();
    expect(await hasSettled(window.drain())).toBe(true);
  });

  it('holds a batch back until every batch in flight that holds one of its emails has settled', async () => {
    const window = new BatchWindow(() => 3);
    const first = commitOf();
    const second = commitOf();
    window.enter(emails('a@example.com', 'b@example.com'), first.done);
    window.enter(emails('c@example.com'), second.done);

    const repeating = window.admit(emails('x@example.com', 'b@example.com'));
    expect(await hasSettled(repeating)).toBe(false);
    second.settle();
    expect(await hasSettled(repeating)).toBe(false);
    first.settle();
    expect(await hasSettled(repeating)).toBe(true);
  });

  it('drains only once every batch in flight has settled', async () => {
    const window = new BatchWindow(() => 2);
    const first = commitOf();
    window.enter(emails('a@example.com'), first.done);
    const drained = window.drain();
    expect(await hasSettled(drained)).toBe(false);
    first.settle();
    expect(await hasSettled(drained)).toBe(true);
  });
});

describe("an import's share of the imports' connections", () => {
  it('is all of them while it runs alone, an equal part of them, at least one, while others run', () => {
    expect(connectionShare(2, 1)).toBe(2);
    expect(connectionShare(4, 2)).toBe(2);
    expect(connectionShare(5, 2)).toBe(2);
    expect(connectionShare(2, 8)).toBe(1);
    expect(connectionShare(1, 1)).toBe(1);
  });
});

describe('the lines of the committed batches, as a failed job tells them', () => {
  function linesOf(lastLines: number[], committed: number[]): string {
    const lines = new CommittedLines();
    for (const lastLine of lastLines) lines.open(lastLine);
    for (const batch of committed) lines.commit(batch);
    return lines.describe();
  }

  it('are the rows up to a line while the batches committed are the first ones', () => {
    expect(linesOf([5001, 10001, 15001], [])).toBe('(nothing was imported)');
    expect(linesOf([5001, 10001, 15001], [1, 0])).toBe('(rows up to line 10001 were imported)');
  });

  it('name the lines of each batch committed past one that did not', () => {
    expect(linesOf([5001, 10001, 15001, 20001], [0, 2])).toBe('(rows up to line 5001 were imported, and those of lines 10002 to 15001)');
    expect(linesOf([5001, 10001, 15001, 20001], [3, 1])).toBe('(rows of lines 5002 to 10001, 15002 to 20001 were imported)');
  });
});
