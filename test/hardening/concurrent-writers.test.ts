// Writers of the same emails at once: one contact per email, no property update lost (the last
// writer wins per key), and no database race reaching a client as an error.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';
import { uploadCsv } from '../support/upload.js';

const UPSERT = `mutation ($contacts: [CreateContactInput!]!) {
  upsertContacts(input: { contacts: $contacts }) { created updated userErrors { code message } }
}`;

const EMAILS = Array.from({ length: 200 }, (_, i) => `shared${i}@example.com`);

describe.each(DATABASE_KINDS)('concurrent writers on %s', (kind) => {
  const service = useService(kind);

  it("concurrent upsertContacts of the same emails keep one contact each and every writer's keys", async () => {
    const account = await service().account();
    const writers = Array.from({ length: 6 }, (_, writer) =>
      account.gql(UPSERT, {
        // Each writer sets a key of its own and the shared key "last"; the orders differ.
        contacts: (writer % 2 ? [...EMAILS].reverse() : EMAILS).map((email) => ({
          email,
          properties: { [`w${writer}`]: writer, last: writer },
        })),
      }),
    );
    const answers = await Promise.all(writers);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.upsertContacts.userErrors).toEqual([]);
    }
    expect(answers.reduce((sum, answer) => sum + answer.data.upsertContacts.created, 0)).toBe(EMAILS.length);

    const contacts = await service().service.db.prisma.contact.findMany({ where: { accountId: account.accountId } });
    expect(contacts).toHaveLength(EMAILS.length);
    for (const contact of contacts) {
      const properties = contact.properties as Record<string, number>;
      expect(Object.keys(properties).sort()).toEqual(['last', 'w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
      expect([0, 1, 2, 3, 4, 5].map((writer) => properties[`w${writer}`])).toEqual([0, 1, 2, 3, 4, 5]);
    }
    // Each writer is one transaction over all the emails, so one of them committed last, and its
    // "last" is what every contact holds: no contact keeps an earlier writer's value.
    const lasts = new Set(contacts.map((contact) => (contact.properties as Record<string, number>).last));
    expect(lasts.size).toBe(1);
    expect([0, 1, 2, 3, 4, 5]).toContain([...lasts][0]);
  });

  it("two overlapping imports at once leave one contact per email with both files' columns", async () => {
    const account = await service().account();
    const first = `email,plan\n${EMAILS.map((email) => `${email},pro`).join('\n')}\n`;
    const second = `email,seats\n${[...EMAILS]
      .reverse()
      .map((email) => `${email},5`)
      .join('\n')}\n`;
    const [a, b] = await Promise.all([uploadCsv(service().url, account.apiKey, first), uploadCsv(service().url, account.apiKey, second)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.imported + b.body.imported).toBe(EMAILS.length);
    expect(a.body.imported + a.body.updated).toBe(EMAILS.length);
    expect(b.body.imported + b.body.updated).toBe(EMAILS.length);
    expect(a.body.errors + b.body.errors).toBe(0);

    const contacts = await service().service.db.prisma.contact.findMany({ where: { accountId: account.accountId } });
    expect(contacts).toHaveLength(EMAILS.length);
    expect(contacts.every((contact) => JSON.stringify(contact.properties) === JSON.stringify({ plan: 'pro', seats: '5' }))).toBe(true);
  });
});
