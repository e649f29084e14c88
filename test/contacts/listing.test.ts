// SEMANTICS.md "Listing and search" and the page sizes of "IDs, times, sizes".
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import type { TestAccount } from '../support/service.js';
import { useService } from '../support/service.js';
import { createContact, createContacts, errorCode } from './helpers.js';

const LIST = `query ($first: Int, $after: String, $last: Int, $before: String, $search: String, $subscribed: Boolean,
    $segmentId: ID, $orderBy: ContactOrder) {
  contacts(first: $first, after: $after, last: $last, before: $before, search: $search, subscribed: $subscribed,
      segmentId: $segmentId, orderBy: $orderBy) {
    edges { cursor node { id email createdAt updatedAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    totalCount
  }
}`;

const PAGE = `query ($page: Int, $perPage: Int, $search: String, $subscribed: Boolean, $segmentId: ID, $orderBy: ContactOrder) {
  contactsPage(page: $page, perPage: $perPage, search: $search, subscribed: $subscribed, segmentId: $segmentId, orderBy: $orderBy) {
    contacts { id email }
    pagination { total page perPage totalPages }
  }
}`;

type Variables = Record<string, unknown>;

async function list(account: TestAccount, variables: Variables) {
  const response = await account.gql(LIST, variables);
  expect(response.errors).toBeUndefined();
  return response.data.contacts as {
    edges: { cursor: string; node: Record<string, string> }[];
    pageInfo: Record<string, any>;
    totalCount: number;
  };
}

interface Walk {
  /** Walk from the end with last/before instead of first/after. */
  backward?: boolean;
  /** Runs between two page requests. */
  between?: () => Promise<void>;
}

/** Every email of the list, in list order, read page by page. */
async function walk(account: TestAccount, variables: Variables, size: number, { backward = false, between }: Walk = {}): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await list(
      account,
      backward ? { ...variables, last: size, before: cursor } : { ...variables, first: size, after: cursor },
    );
    const emails = page.edges.map((edge) => edge.node.email!);
    if (backward) seen.unshift(...emails);
    else seen.push(...emails);
    if (!(backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage)) return seen;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
    await between?.();
  }
}

const ORDERS = ['CREATED_AT', 'UPDATED_AT', 'EMAIL'].flatMap((field) => ['ASC', 'DESC'].map((direction) => ({ field, direction })));

describe.each(DATABASE_KINDS)('listing contacts on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  const emails: string[] = [];

  beforeAll(async () => {
    account = await service().account();
    // One batch shares a creation time (ties broken by id); single creates add distinct times.
    const batch = Array.from({ length: 30 }, (_, i) => ({ email: `b${String(i).padStart(3, '0')}@example.com`, firstName: 'Batch' }));
    await createContacts(account, batch);
    emails.push(...batch.map((contact) => contact.email));
    for (let i = 0; i < 8; i += 1) {
      const email = `s${String(i).padStart(3, '0')}@example.com`;
      await createContact(account, { email, firstName: 'Single', unsubscribed: i % 2 === 0 });
      emails.push(email);
    }
  });

  it('orders by createdAt, newest first, by default, with totalCount of all contacts', async () => {
    const page = await list(account, { first: 100 });
    expect(page.totalCount).toBe(emails.length);
    expect(page.edges.map((edge) => edge.node.email).slice(0, 8)).toEqual(emails.slice(30).reverse());
    const times = page.edges.map((edge) => edge.node.createdAt!);
    expect([...times].sort().reverse()).toEqual(times);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it.each(ORDERS)('pages forward and backward through $field $direction, each contact once, in the order of one page', async (orderBy) => {
    const whole = (await list(account, { first: 100, orderBy })).edges.map((edge) => edge.node.email);
    expect(new Set(whole).size).toBe(emails.length);
    expect(await walk(account, { orderBy }, 7)).toEqual(whole);
    expect(await walk(account, { orderBy }, 7, { backward: true })).toEqual(whole);
    if (orderBy.field === 'EMAIL') expect(whole).toEqual(orderBy.direction === 'ASC' ? [...emails].sort() : [...emails].sort().reverse());
  });

  it('never skips or repeats a contact while contacts are being created between pages', async () => {
    const other = await service().account();
    await createContacts(
      other,
      Array.from({ length: 20 }, (_, i) => ({ email: `first${i}@example.com` })),
    );
    let added = 0;
    const addThree = async () => {
      for (let i = 0; i < 3; i += 1) await createContact(other, { email: `added${(added += 1)}@example.com` });
    };
    // Newest first: the new contacts land before the cursor, so the walk sees exactly the first 20.
    const descending = await walk(other, {}, 6, { between: addThree });
    expect(descending.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `first${i}@example.com`).sort());
    // Oldest first: the new ones land after the cursor, so the walk also sees every one added.
    const ascending = await walk(other, { orderBy: { field: 'CREATED_AT', direction: 'ASC' } }, 6, { between: addThree });
    expect(new Set(ascending).size).toBe(ascending.length);
    expect(ascending.length).toBe(20 + added);
  });

  it('searches email, first name, last name and "first last", ignoring case', async () => {
    const other = await service().account();
    await createContacts(other, [
      { email: 'ada@lovelace.example', firstName: 'Ada', lastName: 'Lovelace' },
      { email: 'grace@navy.example', firstName: 'Grace', lastName: 'Hopper' },
      { email: 'alan@bletchley.example', firstName: 'Alan', lastName: 'Turing' },
    ]);
    const search = async (term: string) => (await list(other, { search: term, first: 100 })).edges.map((edge) => edge.node.email).sort();
    expect(await search('LOVELACE.EX')).toEqual(['ada@lovelace.example']);
    expect(await search('grac')).toEqual(['grace@navy.example']);
    expect(await search('hopp')).toEqual(['grace@navy.example']);
    expect(await search('alan turing')).toEqual(['alan@bletchley.example']);
    expect(await search('a')).toHaveLength(3);
    expect(await search('nobody')).toEqual([]);
    expect((await list(other, { search: 'a', first: 1 })).totalCount).toBe(3);
  });

  it('matches %, _ and \\ in a search term only as themselves', async () => {
    const other = await service().account();
    await createContacts(other, [
      { email: 'fifty%off@example.com' },
      { email: 'snake_case@example.com' },
      { email: 'plain@example.com', lastName: 'back\\slash' },
      { email: 'other@example.com', lastName: 'Xy' },
    ]);
    const search = async (term: string) => (await list(other, { search: term, first: 100 })).edges.map((edge) => edge.node.email);
    expect(await search('%')).toEqual(['fifty%off@example.com']);
    expect(await search('_')).toEqual(['snake_case@example.com']);
    expect(await search('\\')).toEqual(['plain@example.com']);
    expect(await search("' OR 1=1 --")).toEqual([]);
  });

  it('filters by subscribed, and counts what the filter selects', async () => {
    const subscribed = await list(account, { subscribed: true, first: 100 });
    const unsubscribed = await list(account, { subscribed: false, first: 100 });
    expect(unsubscribed.totalCount).toBe(4);
    expect(unsubscribed.edges).toHaveLength(4);
    expect(subscribed.totalCount).toBe(emails.length - 4);
    const both = await list(account, { subscribed: false, search: 'single', first: 2 });
    expect(both.totalCount).toBe(4);
    expect(both.edges).toHaveLength(2);
  });

  it('keeps every total exact as contacts unsubscribe, resubscribe and are deleted', async () => {
    const other = await service().account();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await createContact(other, { email: `t${i}@example.com` })).id);
    const mutate = (name: string, id: string) =>
      other.gql(`mutation ($id: ID!) { ${name}(input: { id: $id }) { userErrors { code } } }`, { id });
    await mutate('unsubscribeContact', ids[0]!);
    await mutate('unsubscribeContact', ids[1]!);
    await mutate('unsubscribeContact', ids[1]!);
    await mutate('resubscribeContact', ids[0]!);
    await mutate('deleteContact', ids[2]!);
    await mutate('deleteContact', ids[1]!);
    const totals = await other.gql(
      '{ all: contacts { totalCount } on: contacts(subscribed: true) { totalCount } off: contacts(subscribed: false) { totalCount } }',
    );
    expect(totals.data).toEqual({ all: { totalCount: 3 }, on: { totalCount: 3 }, off: { totalCount: 0 } });
  });

  it('answers an empty list for a segment that does not exist, is not a segment ID, or is another account’s', async () => {
    for (const segmentId of ['seg_aaaaaaaaaaaaaaaaaaaa', 'ct_aaaaaaaaaaaaaaaaaaaa', 'nonsense']) {
      const page = await list(account, { segmentId, first: 10 });
      expect(page).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
        totalCount: 0,
      });
      const numbered = await account.gql(PAGE, { segmentId });
      expect(numbered.data.contactsPage).toEqual({ contacts: [], pagination: { total: 0, page: 1, perPage: 20, totalPages: 0 } });
    }
  });

  it('numbers pages like a REST API, in the same order as the connection, empty past the end', async () => {
    const orderBy = { field: 'EMAIL', direction: 'ASC' };
    const whole = (await list(account, { first: 100, orderBy })).edges.map((edge) => edge.node.email);
    const first = (await account.gql(PAGE, { page: 1, perPage: 15, orderBy })).data.contactsPage;
    expect(first.pagination).toEqual({ total: emails.length, page: 1, perPage: 15, totalPages: Math.ceil(emails.length / 15) });
    expect(first.contacts.map((contact: { email: string }) => contact.email)).toEqual(whole.slice(0, 15));
    const third = (await account.gql(PAGE, { page: 3, perPage: 15, orderBy })).data.contactsPage;
    expect(third.contacts.map((contact: { email: string }) => contact.email)).toEqual(whole.slice(30, 45));
    const beyond = (await account.gql(PAGE, { page: 4, perPage: 15, orderBy })).data.contactsPage;
    expect(beyond.contacts).toEqual([]);
    const farBeyond = await account.gql(PAGE, { page: 2 ** 31 - 1, perPage: 100 });
    expect(farBeyond.data.contactsPage).toMatchObject({ contacts: [], pagination: { page: 2 ** 31 - 1, total: emails.length } });
    const defaults = (await account.gql(PAGE, { subscribed: false })).data.contactsPage;
    expect(defaults.pagination).toEqual({ total: 4, page: 1, perPage: 20, totalPages: 1 });
  });

  it.each([
    ['first: 0', { first: 0 }],
    ['first: 101', { first: 101 }],
    ['last: 0', { last: 0 }],
    ['last: 101', { last: 101 }],
    ['first: -1', { first: -1 }],
    ['a malformed after cursor', { after: 'not a cursor' }],
    ['a malformed before cursor', { before: 'bm90IGpzb24' }],
    ['a cursor of the wrong shape', { after: Buffer.from('{"a":1}').toString('base64url') }],
    [
      'a cursor holding a value of the wrong type',
      { after: Buffer.from('["not a time","ct_aaaaaaaaaaaaaaaaaaaa"]').toString('base64url') },
    ],
  ])('refuses %s with a GraphQL error, not a clamp', async (_name, variables) => {
    const response = await account.gql(LIST, variables);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.data?.contacts ?? null).toBeNull();
  });

  it.each([
    ['page: 0', { page: 0 }],
    ['page: -3', { page: -3 }],
    ['perPage: 0', { perPage: 0 }],
    ['perPage: 101', { perPage: 101 }],
  ])('refuses contactsPage with %s', async (_name, variables) => {
    expect(errorCode(await account.gql(PAGE, variables))).toBe('BAD_USER_INPUT');
  });

  it('answers totalCount asked for through fragments', async () => {
    const response = await account.gql(`{
      contacts(first: 1) { ...Total }
      contactsPage(perPage: 1) { ... on ContactPage { pagination { ...Pages } } }
    }
    fragment Total on ContactConnection { ... on ContactConnection { totalCount } }
    fragment Pages on Pagination { total totalPages }`);
    expect(response.data).toEqual({
      contacts: { totalCount: emails.length },
      contactsPage: { pagination: { total: emails.length, totalPages: emails.length } },
    });
  });

  it('takes 100 at most, and 20 when no size is given', async () => {
    expect((await list(account, { first: 100 })).edges).toHaveLength(emails.length);
    expect((await list(account, {})).edges).toHaveLength(20);
  });
});
