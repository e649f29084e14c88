// The import's memory of the emails it wrote is a set of Bloom filters that grow with it: they may
// say "perhaps" for an email never seen (settled in SQL), never "no" for one that was.
import { describe, expect, it } from 'vitest';
import { WrittenEmails } from '../../src/core/imports/written-emails.js';

describe('the emails an import wrote', () => {
  it('never forgets one, and rarely claims one it never saw', () => {
    const written = new WrittenEmails();
    for (let n = 0; n < 1_000_000; n++) written.add(`user${n}@example.com`);
    for (let n = 0; n < 1_000_000; n++) if (!written.mayHave(`user${n}@example.com`)) expect.fail(`forgot user${n}`);
    let claimed = 0;
    for (let n = 0; n < 200_000; n++) if (written.mayHave(`other${n}@example.com`)) claimed++;
    expect(claimed).toBeLessThan(200); // under one in a thousand; about one in 3,000 expected
  });

  it('holds memory in step with the emails written: 128 KiB for a small file, at most about 10.7 MiB', () => {
    const written = new WrittenEmails();
    for (let n = 0; n < 10_000; n++) written.add(`user${n}@example.com`);
    expect(written.bytes).toBe(128 * 1024);
    for (let n = 10_000; n < 20_000; n++) written.add(`user${n}@example.com`);
    expect(written.bytes).toBe((128 + 512) * 1024);
    for (let n = 20_000; n < 3_000_000; n++) written.add(`user${n}@example.com`);
    expect(written.bytes).toBe((128 + 512 + 2048 + 8192) * 1024);
    expect(written.mayHave('user0@example.com') && written.mayHave('user2999999@example.com')).toBe(true);
  });
});
