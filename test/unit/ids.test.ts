import { describe, expect, it } from 'vitest';
import { idKind, isIdOf, newId, randomString } from '../../src/core/ids.js';

describe('public IDs', () => {
  it('are a prefix, "_", the second they were made in 8 hex digits, then 12 random lowercase alphanumerics', () => {
    const at = Date.UTC(2026, 11, 3, 10, 0, 0, 999);
    const id = newId('contact', at);
    expect(id).toMatch(/^ct_[0-9a-f]{8}[a-z0-9]{12}$/);
    expect(parseInt(id.slice(3, 11), 16)).toBe(Math.floor(at / 1000));
    expect(idKind(id)).toBe('contact');
    expect(isIdOf('event', newId('event'))).toBe(true);
  });

  it('sort by the second they were made in, so bulk inserts append to their index', () => {
    const earlier = newId('event', Date.UTC(2026, 0, 1, 0, 0, 0));
    const later = newId('event', Date.UTC(2026, 0, 1, 0, 0, 1));
    expect(earlier < later).toBe(true);
  });

  it('differ within one second', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('contact', at)));
    expect(ids.size).toBe(10_000);
  });

  it('draw every character of their alphabet equally often, across many draws of the random pool', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const counts = new Map<string, number>();
    for (const character of randomString(alphabet, 360_000)) counts.set(character, (counts.get(character) ?? 0) + 1);
    expect(counts.size).toBe(36);
    // 10,000 expected each; 500 is five standard deviations.
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
