// SEMANTICS.md "Contacts": one contact at a time, and every way its input can be wrong.
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import type { TestAccount } from '../support/service.js';
import { useService } from '../support/service.js';
import { CONTACT_FIELDS, createContact, readContact } from './helpers.js';

const PAYLOAD = `contact { ${CONTACT_FIELDS} } userErrors { field code message }`;
const CREATE = `mutation ($input: CreateContactInput!) { createContact(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation ($input: UpdateContactInput!) { updateContact(input: $input) { ${PAYLOAD} } }`;
const UNSUBSCRIBE = `mutation ($id: ID!) { unsubscribeContact(input: { id: $id }) { ${PAYLOAD} } }`;
const RESUBSCRIBE = `mutation ($id: ID!) { resubscribeContact(input: { id: $id }) { ${PAYLOAD} } }`;
const DELETE = 'mutation ($id: ID!) { deleteContact(input: { id: $id }) { deletedContactId userErrors { field code message } } }';

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const hundredAndOne = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`key${i}`, i]));

/** Each bad contact input, the error it must give, on the field named. */
const BAD_FIELDS: [name: string, fields: Record<string, unknown>, code: string, field: string[]][] = [
  ['an email without @', { email: 'not-an-email' }, 'INVALID', ['input', 'email']],
  ['an email with two @', { email: 'a@b@example.com' }, 'INVALID', ['input', 'email']],
  ['an email with spaces inside', { email: 'a b@example.com' }, 'INVALID', ['input', 'email']],
  ['an empty email', { email: '   ' }, 'INVALID', ['input', 'email']],
  [
    'an email of 255 characters',
    { email: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com` },
    'TOO_LONG',
    ['input', 'email'],
  ],
  ['an email of 10,000 characters', { email: `${'a'.repeat(9990)}@x.com` }, 'TOO_LONG', ['input', 'email']],
  ['a first name of 201 characters', { firstName: 'x'.repeat(201) }, 'TOO_LONG', ['input', 'firstName']],
  ['a last name of 10,000 characters', { lastName: 'x'.repeat(10_000) }, 'TOO_LONG', ['input', 'lastName']],
  ['a nested property value', { properties: { plan: { tier: 'pro' } } }, 'INVALID', ['input', 'properties', 'plan']],
  ['an array property value', { properties: { tags: ['a', 'b'] } }, 'INVALID', ['input', 'properties', 'tags']],
  ['101 properties', { properties: hundredAndOne }, 'LIMIT_EXCEEDED', ['input', 'properties']],
  ['a property key with a space', { properties: { 'first name': 'x' } }, 'INVALID', ['input', 'properties', 'first name']],
  ['a property key with a quote', { properties: { "o'brien": 'x' } }, 'INVALID', ['input', 'properties', "o'brien"]],
  [
    'a property key of SQL',
    { properties: { "x'); DROP TABLE contacts; --": 1 } },
    'INVALID',
    ['input', 'properties', "x'); DROP TABLE contacts; --"],
  ],
  ['a property key of 65 characters', { properties: { ['k'.repeat(65)]: 1 } }, 'INVALID', ['input', 'properties', 'k'.repeat(65)]],
  ['a property value of 10,000 characters', { properties: { note: 'x'.repeat(10_000) } }, 'TOO_LONG', ['input', 'properties', 'note']],
];

describe.each(DATABASE_KINDS)('contact mutations on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  let other: TestAccount;

  beforeAll(async () => {
    account = await service().account('Mine');
    other = await service().account('Theirs');
  });

  describe('createContact', () => {
    it('normalises what it stores: trimmed lower-case email, trimmed names, empty names as null', async () => {
      const contact = await createContact(account, {
        email: '  Ada.Lovelace@Example.COM ',
        firstName: '  Ada ',
        lastName: '',
        properties: { plan: 'pro', seats: 3, trial: false },
      });
      expect(contact).toMatchObject({
        id: expect.stringMatching(/^ct_[a-z0-9]{20}$/),
        email: 'ada.lovelace@example.com',
        firstName: 'Ada',
        lastName: null,
        properties: { plan: 'pro', seats: 3, trial: false },
        unsubscribed: false,
        unsubscribedAt: null,
      });
      expect(contact.createdAt).toMatch(TIME);
      expect(contact.updatedAt).toBe(contact.createdAt);
      expect(await readContact(account, contact.id)).toEqual(contact);
    });

    it('sets unsubscribedAt when created unsubscribed', async () => {
      const contact = await createContact(account, { email: 'gone@example.com', unsubscribed: true });
      expect(contact.unsubscribed).toBe(true);
      expect(contact.unsubscribedAt).toBe(contact.createdAt);
    });

    it('refuses a second contact with the same address in another case as TAKEN on ["input","email"]', async () => {
      await createContact(account, { email: 'alice@x.com' });
      const response = await account.gql(CREATE, { input: { email: 'Alice@X.com' } });
      expect(response.data.createContact).toEqual({
        contact: null,
        userErrors: [{ field: ['input', 'email'], code: 'TAKEN', message: expect.any(String) }],
      });
      // Another account may hold the same address.
      expect((await other.gql(CREATE, { input: { email: 'Alice@X.com' } })).data.createContact.userErrors).toEqual([]);
    });

    it.each(BAD_FIELDS)('refuses %s, creating nothing', async (_name, fields, code, field) => {
      const email = `new-${Math.random().toString(36).slice(2)}@example.com`;
      const response = await account.gql(CREATE, { input: { email, ...fields } });
      expect(response.errors).toBeUndefined();
      expect(response.data.createContact).toEqual({ contact: null, userErrors: [{ field, code, message: expect.any(String) }] });
      expect((await account.gql('query ($email: String!) { contact(email: $email) { id } }', { email })).data.contact).toBeNull();
    });

    it('refuses a null property value on creation, and reports every bad field at once', async () => {
      const response = await account.gql(CREATE, { input: { email: 'bad', firstName: 'x'.repeat(300), properties: { a: null } } });
      expect(response.data.createContact.userErrors.map((error: { field: string[] }) => error.field)).toEqual([
        ['input', 'email'],
        ['input', 'firstName'],
        ['input', 'properties', 'a'],
      ]);
    });

    it('accepts the limits themselves: 254-character email, 200-character names, 100 properties, 2000-character values', async () => {
      const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
      expect(email).toHaveLength(254);
      const properties = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v'.repeat(2000)]));
      const contact = await createContact(account, { email, firstName: 'f'.repeat(200), properties });
      expect(Object.keys(contact.properties)).toHaveLength(100);
    });
  });

  describe('updateContact', () => {
    it('changes only the fields given, merges properties key by key and removes keys given as null', async () => {
      const created = await createContact(account, {
        email: 'merge@example.com',
        firstName: 'Grace',
        lastName: 'Hopper',
        properties: { a: 1, b: 'two', c: true },
      });
      const response = await account.gql(UPDATE, { input: { id: created.id, lastName: 'Murray', properties: { b: null, d: 'four' } } });
      const updated = response.data.updateContact;
      expect(updated.userErrors).toEqual([]);
      expect(updated.contact).toMatchObject({
        email: 'merge@example.com',
        firstName: 'Grace',
        lastName: 'Murray',
        properties: { a: 1, c: true, d: 'four' },
      });
      expect(new Date(updated.contact.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.updatedAt).getTime());
      expect(updated.contact.createdAt).toBe(created.createdAt);

      const cleared = await account.gql(UPDATE, { input: { id: created.id, firstName: null, email: ' MERGED@example.com ' } });
      expect(cleared.data.updateContact.contact).toMatchObject({ email: 'merged@example.com', firstName: null, lastName: 'Murray' });
    });

    it('keeps unsubscribedAt right when unsubscribing and resubscribing by update', async () => {
      const created = await createContact(account, { email: 'flip@example.com' });
      const off = (await account.gql(UPDATE, { input: { id: created.id, unsubscribed: true } })).data.updateContact.contact;
      expect(off.unsubscribedAt).toMatch(TIME);
      const again = (await account.gql(UPDATE, { input: { id: created.id, unsubscribed: true } })).data.updateContact.contact;
      expect(again.unsubscribedAt).toBe(off.unsubscribedAt);
      const on = (await account.gql(UPDATE, { input: { id: created.id, unsubscribed: false } })).data.updateContact.contact;
      expect(on).toMatchObject({ unsubscribed: false, unsubscribedAt: null });
    });

    it('refuses an email another contact has as TAKEN, leaving the contact unchanged', async () => {
      await createContact(account, { email: 'taken@example.com' });
      const mine = await createContact(account, { email: 'mine@example.com', firstName: 'Me' });
      const response = await account.gql(UPDATE, { input: { id: mine.id, email: 'Taken@Example.com', firstName: 'Changed' } });
      expect(response.data.updateContact).toEqual({
        contact: null,
        userErrors: [{ field: ['input', 'email'], code: 'TAKEN', message: expect.any(String) }],
      });
      expect(await readContact(account, mine.id)).toEqual(mine);
    });

    it('lets exactly one of two concurrent writers take an address, the other answered TAKEN', async () => {
      const [a, b] = [
        await createContact(account, { email: 'race-a@example.com' }),
        await createContact(account, { email: 'race-b@example.com' }),
      ];
      const updates = await Promise.all(
        [a, b].map((contact) => account.gql(UPDATE, { input: { id: contact.id, email: 'race-won@example.com' } })),
      );
      expect(updates.map((response) => response.data.updateContact.userErrors.map((error: { code: string }) => error.code)).sort()).toEqual(
        [[], ['TAKEN']],
      );
      const creates = await Promise.all([1, 2].map(() => account.gql(CREATE, { input: { email: 'race-new@example.com' } })));
      expect(creates.map((response) => response.data.createContact.userErrors.map((error: { code: string }) => error.code)).sort()).toEqual(
        [[], ['TAKEN']],
      );
    });

    it('accepts its own email back, in any case', async () => {
      const mine = await createContact(account, { email: 'self@example.com' });
      const response = await account.gql(UPDATE, { input: { id: mine.id, email: 'SELF@example.com' } });
      expect(response.data.updateContact.userErrors).toEqual([]);
    });

    it.each(BAD_FIELDS)('refuses %s, leaving the contact unchanged', async (_name, fields, code, field) => {
      const stored = await createContact(account, {
        email: `keep-${Math.random().toString(36).slice(2)}@example.com`,
        firstName: 'Keep',
        properties: { a: 1 },
      });
      const response = await account.gql(UPDATE, { input: { id: stored.id, firstName: 'Changed', ...fields } });
      expect(response.data.updateContact).toEqual({ contact: null, userErrors: [{ field, code, message: expect.any(String) }] });
      expect(await readContact(account, stored.id)).toEqual(stored);
    });

    it('refuses a merge that would pass 100 properties, leaving the contact unchanged', async () => {
      const full = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
      const stored = await createContact(account, { email: 'full@example.com', properties: full });
      const response = await account.gql(UPDATE, { input: { id: stored.id, firstName: 'X', properties: { extra: 1 } } });
      expect(response.data.updateContact.userErrors).toEqual([
        { field: ['input', 'properties'], code: 'LIMIT_EXCEEDED', message: expect.any(String) },
      ]);
      expect(await readContact(account, stored.id)).toEqual(stored);
      // Swapping a key for another stays within the limit.
      const swapped = await account.gql(UPDATE, { input: { id: stored.id, properties: { k0: null, extra: 1 } } });
      expect(swapped.data.updateContact.userErrors).toEqual([]);
    });

    it('refuses removing the email', async () => {
      const stored = await createContact(account, { email: 'keepmail@example.com' });
      const response = await account.gql(UPDATE, { input: { id: stored.id, email: null } });
      expect(response.data.updateContact.userErrors).toEqual([{ field: ['input', 'email'], code: 'INVALID', message: expect.any(String) }]);
    });
  });

  describe('unsubscribeContact and resubscribeContact', () => {
    it('sets unsubscribedAt once, keeps it on a repeat, and clears both on resubscribe', async () => {
      const stored = await createContact(account, { email: 'sub@example.com' });
      const off = (await account.gql(UNSUBSCRIBE, { id: stored.id })).data.unsubscribeContact;
      expect(off.userErrors).toEqual([]);
      expect(off.contact).toMatchObject({ unsubscribed: true, unsubscribedAt: expect.stringMatching(TIME) });
      const repeat = (await account.gql(UNSUBSCRIBE, { id: stored.id })).data.unsubscribeContact.contact;
      expect(repeat).toEqual(off.contact);
      const on = (await account.gql(RESUBSCRIBE, { id: stored.id })).data.resubscribeContact;
      expect(on).toEqual({
        contact: { ...off.contact, unsubscribed: false, unsubscribedAt: null, updatedAt: expect.stringMatching(TIME) },
        userErrors: [],
      });
    });
  });

  describe('IDs that are not a contact of this account', () => {
    let theirs: Record<string, any>;
    beforeAll(async () => {
      theirs = await createContact(other, { email: 'theirs@example.com', firstName: 'Theirs' });
    });

    const unknownIds = () => ({
      'an unknown ID': 'ct_zzzzzzzzzzzzzzzzzzzz',
      "another account's ID": theirs.id as string,
      'a segment ID': 'seg_aaaaaaaaaaaaaaaaaaaa',
      'no ID at all': "x' OR 1=1 --",
    });

    it('answers NOT_FOUND on ["input","id"] in every mutation, alike for each, changing nothing', async () => {
      for (const [name, id] of Object.entries(unknownIds())) {
        const notFound = { field: ['input', 'id'], code: 'NOT_FOUND', message: expect.any(String) };
        const update = await account.gql(UPDATE, { input: { id, firstName: 'Hacked' } });
        expect(update.data.updateContact, name).toEqual({ contact: null, userErrors: [notFound] });
        expect((await account.gql(UNSUBSCRIBE, { id })).data.unsubscribeContact, name).toEqual({ contact: null, userErrors: [notFound] });
        expect((await account.gql(RESUBSCRIBE, { id })).data.resubscribeContact, name).toEqual({ contact: null, userErrors: [notFound] });
        expect((await account.gql(DELETE, { id })).data.deleteContact, name).toEqual({ deletedContactId: null, userErrors: [notFound] });
      }
      expect(await readContact(other, theirs.id)).toEqual(theirs);
    });

    it('answers null in contact(id), contact(email) and node(id)', async () => {
      for (const [name, id] of Object.entries(unknownIds())) {
        const response = await account.gql('query ($id: ID!) { contact(id: $id) { id } node(id: $id) { id } }', { id });
        expect(response, name).toEqual({ status: 200, data: { contact: null, node: null } });
      }
      expect((await account.gql('{ contact(email: "theirs@example.com") { id } }')).data.contact).toBeNull();
    });
  });

  describe('reading one contact', () => {
    it('finds a contact by id, by email in any case, and by node(id)', async () => {
      const stored = await createContact(account, { email: 'find.me@example.com' });
      const response = await account.gql(
        'query ($id: ID!) { byId: contact(id: $id) { id } byEmail: contact(email: " Find.Me@EXAMPLE.com") { id } node(id: $id) { ... on Contact { email } } }',
        { id: stored.id },
      );
      expect(response.data).toEqual({ byId: { id: stored.id }, byEmail: { id: stored.id }, node: { email: 'find.me@example.com' } });
    });

    it('needs an id or an email', async () => {
      const response = await account.gql('{ contact { id } }');
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('deleteContact', () => {
    it('removes the contact for good', async () => {
      const stored = await createContact(account, { email: 'bye@example.com' });
      const before = (await account.gql('{ contacts { totalCount } }')).data.contacts.totalCount;
      expect((await account.gql(DELETE, { id: stored.id })).data.deleteContact).toEqual({ deletedContactId: stored.id, userErrors: [] });
      expect(await readContact(account, stored.id)).toBeNull();
      expect((await account.gql('{ contacts { totalCount } }')).data.contacts.totalCount).toBe(before - 1);
      expect((await account.gql(DELETE, { id: stored.id })).data.deleteContact.userErrors[0].code).toBe('NOT_FOUND');
    });
  });
});
