// SEMANTICS.md "Contacts" (upsertContacts) and the bulk sizes of "IDs, times, sizes".
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import type { TestAccount } from '../support/service.js';
import { useService } from '../support/service.js';
import { CONTACT_FIELDS, createContact, errorCode, readContact } from './helpers.js';

const UPSERT = `mutation ($input: UpsertContactsInput!) {
  upsertContacts(input: $input) { created updated contacts { ${CONTACT_FIELDS} } userErrors { field code message } }
}`;
const DELETE_MANY =
  'mutation ($ids: [ID!]!) { deleteContacts(input: { ids: $ids }) { deletedContactIds userErrors { field code message } } }';

describe.each(DATABASE_KINDS)('bulk contact mutations on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;

  beforeAll(async () => {
    account = await service().account();
  });

  async function upsert(contacts: Record<string, unknown>[]) {
    const response = await account.gql(UPSERT, { input: { contacts } });
    expect(response.errors).toBeUndefined();
    return response.data.upsertContacts;
  }

  it('creates new addresses and updates known ones by the updateContact rules', async () => {
    const known = await createContact(account, {
      email: 'known@example.com',
      firstName: 'Kay',
      lastName: 'Known',
      properties: { a: 1, b: 2 },
      unsubscribed: true,
    });
    const result = await upsert([
      { email: 'fresh@example.com', firstName: 'Fresh', properties: { plan: 'pro', gone: null } },
      { email: 'KNOWN@example.com', lastName: null, properties: { b: null, c: 3 } },
    ]);
    expect(result).toMatchObject({ created: 1, updated: 1, userErrors: [] });
    expect(result.contacts).toMatchObject([
      { email: 'fresh@example.com', firstName: 'Fresh', lastName: null, properties: { plan: 'pro' }, unsubscribed: false },
      // firstName not given: kept; lastName null: cleared; properties merged; unsubscribed not given: kept.
      {
        id: known.id,
        email: 'known@example.com',
        firstName: 'Kay',
        lastName: null,
        properties: { a: 1, c: 3 },
        unsubscribed: true,
        unsubscribedAt: known.unsubscribedAt,
      },
    ]);
  });

  it('skips and reports failing items with their index and field, applies the others, and the counts add up', async () => {
    await createContact(account, { email: 'existing@example.com' });
    const items = [
      { email: 'ok1@example.com' },
      { email: 'not an email' },
      { email: 'existing@example.com', firstName: 'Updated' },
      { email: 'ok2@example.com', properties: { nested: { no: true } } },
      { email: 'ok3@example.com', lastName: 'x'.repeat(10_000) },
      { email: 'ok4@example.com', properties: { 'bad key': 1 } },
    ];
    const result = await upsert(items);
    expect(result.userErrors).toEqual([
      { field: ['input', 'contacts', '1', 'email'], code: 'INVALID', message: expect.any(String) },
      { field: ['input', 'contacts', '3', 'properties', 'nested'], code: 'INVALID', message: expect.any(String) },
      { field: ['input', 'contacts', '4', 'lastName'], code: 'TOO_LONG', message: expect.any(String) },
      { field: ['input', 'contacts', '5', 'properties', 'bad key'], code: 'INVALID', message: expect.any(String) },
    ]);
    expect(result.created + result.updated + 4).toBe(items.length);
    expect(result).toMatchObject({ created: 1, updated: 1 });
    expect(result.contacts.map((contact: { email: string }) => contact.email)).toEqual(['ok1@example.com', 'existing@example.com']);
    const missing = await account.gql('{ a: contact(email: "ok2@example.com") { id } b: contact(email: "ok3@example.com") { id } }');
    expect(missing.data).toEqual({ a: null, b: null });
  });

  it('treats one address given twice (in any case) as one contact, applied in order, counted once created then updated', async () => {
    const result = await upsert([
      { email: 'Twice@example.com', firstName: 'First', properties: { a: 1 } },
      { email: 'twice@example.com', lastName: 'Second', properties: { b: 2 } },
    ]);
    expect(result).toMatchObject({ created: 1, updated: 1, userErrors: [] });
    expect(result.contacts).toHaveLength(1);
    expect(result.contacts[0]).toMatchObject({
      email: 'twice@example.com',
      firstName: 'First',
      lastName: 'Second',
      properties: { a: 1, b: 2 },
    });
  });

  it('refuses an update that would pass 100 properties as LIMIT_EXCEEDED, leaving that contact unchanged', async () => {
    const full = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const stored = await createContact(account, { email: 'full@example.com', properties: full });
    const result = await upsert([
      { email: 'other-ok@example.com' },
      { email: 'full@example.com', firstName: 'X', properties: { extra: 1 } },
    ]);
    expect(result).toMatchObject({ created: 1, updated: 0 });
    expect(result.userErrors).toEqual([
      { field: ['input', 'contacts', '1', 'properties'], code: 'LIMIT_EXCEEDED', message: expect.any(String) },
    ]);
    expect(await readContact(account, stored.id)).toEqual(stored);
  });

  it('takes 1000 items in one call, and refuses 1001 with a GraphQL error before changing anything', async () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => ({ email: `bulk${i}@example.com`, properties: { n: i } }));
    const result = await upsert(thousand);
    expect(result).toMatchObject({ created: 1000, updated: 0, userErrors: [] });
    expect(result.contacts).toHaveLength(1000);

    const over = await account.gql(UPSERT, { input: { contacts: [...thousand, { email: 'one-too-many@example.com' }] } });
    expect(errorCode(over)).toBe('BAD_USER_INPUT');
    expect((await account.gql('{ contact(email: "one-too-many@example.com") { id } }')).data.contact).toBeNull();
  });

  it('accepts an empty list', async () => {
    expect(await upsert([])).toEqual({ created: 0, updated: 0, contacts: [], userErrors: [] });
  });

  describe('deleteContacts', () => {
    it('deletes the contacts of this account and reports every other id as NOT_FOUND with its index', async () => {
      const other = await service().account('Other');
      const theirs = await createContact(other, { email: 'theirs@example.com' });
      const a = await createContact(account, { email: 'del-a@example.com' });
      const b = await createContact(account, { email: 'del-b@example.com' });
      const ids = [a.id, 'ct_zzzzzzzzzzzzzzzzzzzz', theirs.id, 'seg_aaaaaaaaaaaaaaaaaaaa', b.id, "' OR 1=1 --"];
      const response = await account.gql(DELETE_MANY, { ids });
      expect(response.data.deleteContacts).toEqual({
        deletedContactIds: [a.id, b.id],
        userErrors: [1, 2, 3, 5].map((index) => ({
          field: ['input', 'ids', String(index)],
          code: 'NOT_FOUND',
          message: expect.any(String),
        })),
      });
      expect(await readContact(account, a.id)).toBeNull();
      expect(await readContact(other, theirs.id)).toEqual(theirs);
    });

    it('refuses more than 1000 ids with a GraphQL error', async () => {
      const stored = await createContact(account, { email: 'survivor@example.com' });
      const ids = [stored.id, ...Array.from({ length: 1000 }, (_, i) => `ct_${String(i).padStart(20, '0')}`)];
      expect(errorCode(await account.gql(DELETE_MANY, { ids }))).toBe('BAD_USER_INPUT');
      expect(await readContact(account, stored.id)).toEqual(stored);
    });
  });
});
