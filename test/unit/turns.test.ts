import { describe, expect, it } from 'vitest';
import { TURN_MS, Turns } from '../../src/core/imports/turns.js';

describe("an import's turns on the thread", () => {
  it('are over once TURN_MS have passed since the turn began, and begin again when ended', async () => {
    let now = 1000;
    const turns = new Turns(() => now);
    now += TURN_MS - 1;
    expect(turns.over).toBe(false);
    now += 1;
    expect(turns.over).toBe(true);
    await turns.end();
    expect(turns.over).toBe(false);
  });

  it('end only after what was waiting has run (a request that arrived meanwhile)', async () => {
    const turns = new Turns();
    let waitingRan = false;
    setImmediate(() => (waitingRan = true));
    await turns.end();
    expect(waitingRan).toBe(true);
  });
});
