// The import's memory of the emails it wrote is a fixed-size filter: it may say "perhaps" for an
// email it never saw (settled in SQL), never "no" for one it did.
import { describe, expect, it } from 'vitest';
import { WrittenEmails } from '../../src/core/imports/written-emails.js';

describe('the emails an import wrote', () => {
  it('never forgets one, and rarely claims one it never saw', () => {
    const written = new WrittenEmails();
    for (let n = 0; n < 1_000_000; n++) written.add(`user${n}@example.com`);
    for (let n = 0; n < 1_000_000; n++) if (!written.mayHave(`user${n}@example.com`)) expect.fail(`forgot user${n}`);
    let claimed = 0;
    for (let n = 0; n < 200_000; n++) if (written.mayHave(`other${n}@example.com`)) claimed++;
    expect(claimed).toBeLessThan(200); // under one in a thousand; about one in 12,000 expected
  });
});
