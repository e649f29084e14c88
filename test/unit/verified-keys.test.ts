// The verified-key memory: a key found live is taken as live for the TTL from the start of its
// lookup, never longer; unknown keys are never remembered; concurrent checks share one lookup.
import { describe, expect, it } from 'vitest';
import { VerifiedKeys } from '../../src/core/accounts/verified-keys.js';

function clockAt(start = 0) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

function countingLookup(answers: Record<string, string | null>) {
  const lookup = Object.assign(
    (hash: string) => {
      lookup.calls += 1;
      return Promise.resolve(answers[hash] ?? null);
    },
    { calls: 0 },
  );
  return lookup;
}

describe('VerifiedKeys', () => {
  it('answers a live key from memory until the TTL has run from the start of its lookup', async () => {
    const clock = clockAt();
    const keys = new VerifiedKeys(1000, 10, clock.read);
    const lookup = countingLookup({ h1: 'acc_1' });
    expect(await keys.accountOf('h1', lookup)).toBe('acc_1');
    clock.now = 999;
    expect(await keys.accountOf('h1', lookup)).toBe('acc_1');
    expect(lookup.calls).toBe(1);
    clock.now = 1000;
    expect(await keys.accountOf('h1', lookup)).toBe('acc_1');
    expect(lookup.calls).toBe(2);
  });

  it('counts the TTL from when the lookup started, not from when it answered', async () => {
    const clock = clockAt();
    const keys = new VerifiedKeys(1000, 10, clock.read);
    const slow = (hash: string) => {
      clock.now = 800; // the lookup took 800 ms
      return Promise.resolve(hash === 'h1' ? 'acc_1' : null);
    };
    await keys.accountOf('h1', slow);
    clock.now = 1000;
    const lookup = countingLookup({});
    expect(await keys.accountOf('h1', lookup)).toBeNull(); // revoked meanwhile: asked again
    expect(lookup.calls).toBe(1);
  });

  it('never remembers an unknown or revoked key, so a key created a moment later works at once', async () => {
    const keys = new VerifiedKeys(1000, 10, clockAt().read);
    const answers: Record<string, string | null> = {};
    const lookup = countingLookup(answers);
    expect(await keys.accountOf('h1', lookup)).toBeNull();
    answers.h1 = 'acc_1';
    expect(await keys.accountOf('h1', lookup)).toBe('acc_1');
    expect(lookup.calls).toBe(2);
  });

  it('forgets every key at once when this process revokes one', async () => {
    const keys = new VerifiedKeys(1000, 10, clockAt().read);
    const lookup = countingLookup({ h1: 'acc_1' });
    await keys.accountOf('h1', lookup);
    keys.forgetAll();
    await keys.accountOf('h1', lookup);
    expect(lookup.calls).toBe(2);
  });

  it('shares one lookup between concurrent checks of the same key', async () => {
    const keys = new VerifiedKeys(1000, 10, clockAt().read);
    const lookup = countingLookup({ h1: 'acc_1' });
    const answers = await Promise.all([keys.accountOf('h1', lookup), keys.accountOf('h1', lookup), keys.accountOf('h1', lookup)]);
    expect(answers).toEqual(['acc_1', 'acc_1', 'acc_1']);
    expect(lookup.calls).toBe(1);
  });

  it('keeps at most its limit of keys, dropping the oldest first', async () => {
    const keys = new VerifiedKeys(1000, 2, clockAt().read);
    const lookup = countingLookup({ h1: 'acc_1', h2: 'acc_2', h3: 'acc_3' });
    await keys.accountOf('h1', lookup);
    await keys.accountOf('h2', lookup);
    await keys.accountOf('h3', lookup);
    expect(lookup.calls).toBe(3);
    await keys.accountOf('h3', lookup);
    await keys.accountOf('h2', lookup);
    expect(lookup.calls).toBe(3);
    await keys.accountOf('h1', lookup);
    expect(lookup.calls).toBe(4);
  });

  it('does not keep a failed lookup: the next check asks again', async () => {
    const keys = new VerifiedKeys(1000, 10, clockAt().read);
    await expect(keys.accountOf('h1', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await keys.accountOf('h1', countingLookup({ h1: 'acc_1' }))).toBe('acc_1');
  });
});
