// SEMANTICS.md "Segments": creating, reading, changing and deleting segments; static members.
import { beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import type { TestAccount } from '../support/service.js';
import { useService } from '../support/service.js';
import { createSegment, dynamicSegment, membersOf, SEGMENT_FIELDS, seedContacts, segmentsOfContact, tryCreateSegment } from './helpers.js';

const MEMBERSHIP = (name: string) => `mutation ($input: SegmentMembershipInput!) {
  ${name}(input: $input) { segment { id } userErrors { field code message } }
}`;
const ADD = MEMBERSHIP('addContactsToSegment');
const REMOVE = MEMBERSHIP('removeContactsFromSegment');
const UPDATE = `mutation ($input: UpdateSegmentInput!) { updateSegment(input: $input) { segment { ${SEGMENT_FIELDS} } userErrors { field code message } } }`;
const DELETE = 'mutation ($id: ID!) { deleteSegment(input: { id: $id }) { deletedSegmentId userErrors { field code message } } }';

describe.each(DATABASE_KINDS)('segments on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  const seed = (contacts: Parameters<typeof seedContacts>[2], owner = account) =>
    seedContacts(service().service.db.prisma, owner.accountId, contacts);

  // A fresh account per test: what one test's segments match never shows in another's.
  beforeEach(async () => {
    account = await service().account();
  });

  it('holds the contacts its rules match, as the documented example shows', async () => {
    const [big, small, shouting] = await seed([
      { email: 'big@example.com', properties: { plan: 'enterprise' } },
      { email: 'small@example.com', properties: { plan: 'starter' } },
      { email: 'loud@example.com', properties: { plan: 'ENTERPRISE' } },
    ]);
    const segment = await dynamicSegment(account, [{ field: 'properties.plan', operator: 'EQUALS', value: 'enterprise' }]);
    expect(segment).toMatchObject({
      type: 'DYNAMIC',
      match: 'ALL',
      rules: [{ field: 'properties.plan', operator: 'EQUALS', value: 'enterprise', values: null }],
    });
    const members = await membersOf(account, segment.id);
    expect(members.ids.sort()).toEqual([big, shouting].sort());
    expect(members.count).toBe(2);
    expect(await segmentsOfContact(account, small!)).toEqual([]);
    expect(await segmentsOfContact(account, big!)).toEqual([segment.id]);
  });

  it('stores camelCase fields as snake_case, and reads them back that way', async () => {
    const segment = await dynamicSegment(account, [
      { field: 'firstName', operator: 'EXISTS' },
      { field: 'createdAt', operator: 'AFTER', value: '-30d' },
    ]);
    expect(segment.rules).toEqual([
      { field: 'first_name', operator: 'EXISTS', value: null, values: null },
      { field: 'created_at', operator: 'AFTER', value: '-30d', values: null },
    ]);
  });

  it('refuses bad rules when saved, each problem a UserError naming the rule', async () => {
    const payload = await tryCreateSegment(account, {
      name: 'bad',
      type: 'DYNAMIC',
      rules: [
        { field: 'properties.plan', operator: 'EQUALS', value: 'ok' },
        { field: 'shoe_size', operator: 'EQUALS', value: '42' },
        { field: 'properties.ltv', operator: 'GREATER_THAN', value: '4,500' },
        { field: 'created_at', operator: 'BEFORE', value: 'last tuesday' },
        { field: 'properties.plan', operator: 'IN' },
        { field: 'properties.plan', operator: 'IN', values: Array.from({ length: 501 }, (_, i) => String(i)) },
        { field: 'properties.plan', operator: 'EQUALS', values: ['a'] },
        { field: 'email', operator: 'GREATER_THAN', value: '3' },
        { field: 'properties.bad key', operator: 'EXISTS' },
        { field: 'properties.plan', operator: 'CONTAINS' },
        { field: 'constructor', operator: 'EXISTS' },
      ],
    });
    expect(payload.segment).toBeNull();
    expect(payload.userErrors.map((error: any) => [error.field.join('.'), error.code])).toEqual([
      ['input.rules.1.field', 'INVALID'],
      ['input.rules.2.value', 'INVALID'],
      ['input.rules.3.value', 'INVALID'],
      ['input.rules.4.values', 'INVALID'],
      ['input.rules.5.values', 'LIMIT_EXCEEDED'],
      ['input.rules.6.value', 'INVALID'],
      ['input.rules.6.values', 'INVALID'],
      ['input.rules.7.operator', 'INVALID'],
      ['input.rules.8.field', 'INVALID'],
      ['input.rules.9.value', 'INVALID'],
      ['input.rules.10.field', 'INVALID'],
    ]);
    expect(payload.userErrors[0].message).toContain('rule 1');
  });

  it('accepts ISO dates, date-times and offsets for BEFORE and AFTER, numbers for the numeric operators', async () => {
    for (const value of ['2026-03-23', '2026-03-23T10:00:00Z', '2026-03-23T10:00:00.123+02:00', '-30d', '-4w', '-6m', '-1y']) {
      await dynamicSegment(account, [{ field: 'properties.seen', operator: 'AFTER', value }]);
    }
    for (const value of ['4500', ' 12 ', '-3.5', '1e3']) {
      await dynamicSegment(account, [{ field: 'properties.ltv', operator: 'GREATER_THAN', value }]);
    }
    const payload = await tryCreateSegment(account, {
      name: 'x',
      type: 'DYNAMIC',
      rules: [{ field: 'properties.seen', operator: 'AFTER', value: '2026-02-30' }],
    });
    expect(payload.userErrors).toMatchObject([{ field: ['input', 'rules', '0', 'value'], code: 'INVALID' }]);
  });

  it('needs rules for DYNAMIC (at most 50), and takes none for STATIC', async () => {
    expect((await tryCreateSegment(account, { name: 'x', type: 'DYNAMIC' })).userErrors).toMatchObject([
      { field: ['input', 'rules'], code: 'INVALID' },
    ]);
    expect((await tryCreateSegment(account, { name: 'x', type: 'DYNAMIC', rules: [] })).userErrors).toMatchObject([{ code: 'INVALID' }]);
    const many = Array.from({ length: 51 }, () => ({ field: 'email', operator: 'EXISTS' }));
    expect((await tryCreateSegment(account, { name: 'x', type: 'DYNAMIC', rules: many })).userErrors).toMatchObject([
      { field: ['input', 'rules'], code: 'LIMIT_EXCEEDED' },
    ]);
    expect((await tryCreateSegment(account, { name: 'x', type: 'DYNAMIC', rules: many.slice(1) })).userErrors).toEqual([]);
    const rules = [{ field: 'email', operator: 'EXISTS' }];
    expect((await tryCreateSegment(account, { name: 'x', type: 'STATIC', rules })).userErrors).toMatchObject([
      { field: ['input', 'rules'], code: 'INVALID' },
    ]);
    expect((await tryCreateSegment(account, { name: ' ', type: 'STATIC' })).userErrors).toMatchObject([
      { field: ['input', 'name'], code: 'INVALID' },
    ]);
  });

  it('changes only the fields given; new rules apply at once', async () => {
    const [pro] = await seed([{ email: 'update-pro@example.com', properties: { tier: 'pro' } }]);
    const segment = await dynamicSegment(account, [{ field: 'properties.tier', operator: 'EQUALS', value: 'free' }]);
    expect((await membersOf(account, segment.id)).ids).toEqual([]);
    const renamed = await account.gql(UPDATE, { input: { id: segment.id, name: 'Renamed' } });
    expect(renamed.data.updateSegment.segment).toMatchObject({ name: 'Renamed', rules: segment.rules });
    const changed = await account.gql(UPDATE, {
      input: { id: segment.id, match: 'ANY', rules: [{ field: 'properties.tier', operator: 'IN', values: ['PRO', 'team'] }] },
    });
    expect(changed.data.updateSegment).toMatchObject({ segment: { name: 'Renamed', match: 'ANY' }, userErrors: [] });
    expect((await membersOf(account, segment.id)).ids).toEqual([pro]);
    const emptied = await account.gql(UPDATE, { input: { id: segment.id, rules: [] } });
    expect(emptied.data.updateSegment).toMatchObject({ segment: null, userErrors: [{ field: ['input', 'rules'], code: 'INVALID' }] });
  });

  it('takes a contact in or out the moment it changes', async () => {
    const [contact] = await seed([{ email: 'mover@example.com', properties: { score: 5 } }]);
    const segment = await dynamicSegment(account, [{ field: 'properties.score', operator: 'GREATER_THAN_OR_EQUAL', value: '10' }]);
    expect(await segmentsOfContact(account, contact!)).toEqual([]);
    await service().service.db.prisma.contact.update({ where: { id: contact }, data: { properties: { score: '12' } } });
    expect(await segmentsOfContact(account, contact!)).toEqual([segment.id]);
    expect((await membersOf(account, segment.id)).ids).toEqual([contact]);
  });

  it('resolves relative offsets at query time', async () => {
    const day = 24 * 60 * 60 * 1000;
    const [recent, old] = await seed([
      { email: 'recent@example.com', createdAt: new Date(Date.now() - 29 * day) },
      { email: 'old@example.com', createdAt: new Date(Date.now() - 31 * day) },
    ]);
    const segment = await dynamicSegment(account, [
      { field: 'created_at', operator: 'AFTER', value: '-30d' },
      { field: 'email', operator: 'ENDS_WITH', value: '@EXAMPLE.com' },
      { field: 'email', operator: 'IN', values: ['recent@example.com', 'old@example.com'] },
    ]);
    expect((await membersOf(account, segment.id)).ids).toEqual([recent]);
    // Two days later, the same rule no longer holds for the contact that was 29 days old.
    await service().service.db.prisma.contact.update({ where: { id: recent }, data: { createdAt: new Date(Date.now() - 31 * day) } });
    expect((await membersOf(account, segment.id)).count).toBe(0);
    expect(await segmentsOfContact(account, old!)).toEqual([]);
  });

  it('compares as numbers only values that read as one, and as instants only ISO dates and date-times', async () => {
    const values = ['4500', '4,500', ' 12 ', '1e3', 'true', '', '2026-03-23', '2026-03-23T10:00:00+02:00', '2026-02-30', 'soon'];
    const ids = await seed([
      ...values.map((value, i) => ({ email: `odd${i}@example.com`, properties: { v: value } })),
      { email: 'number@example.com', properties: { v: 4500 } },
    ]);
    const members = async (rules: { field: string; operator: string; value?: string }[]) => {
      const { ids: found } = await membersOf(account, (await dynamicSegment(account, rules)).id);
      return found.map((id) => (id === ids.at(-1) ? 'the number 4500' : values[ids.indexOf(id)])).sort();
    };
    expect(await members([{ field: 'properties.v', operator: 'GREATER_THAN', value: '1000' }])).toEqual(['4500', 'the number 4500']);
    expect(await members([{ field: 'properties.v', operator: 'LESS_THAN_OR_EQUAL', value: '1000' }])).toEqual([' 12 ', '1e3']);
    expect(await members([{ field: 'properties.v', operator: 'BEFORE', value: '2026-03-23T09:00:00Z' }])).toEqual([
      '2026-03-23',
      '2026-03-23T10:00:00+02:00',
    ]);
    expect(await members([{ field: 'properties.v', operator: 'AFTER', value: '2026-03-23' }])).toEqual(['2026-03-23T10:00:00+02:00']);
    expect(await members([{ field: 'properties.v', operator: 'EQUALS', value: 'TRUE' }])).toEqual(['true']);
    expect(await members([{ field: 'properties.v', operator: 'NOT_EXISTS' }])).toEqual(['']);
  });

  it("adds to a STATIC segment: twice is harmless; another account's contact is NOT_FOUND; a DYNAMIC one is NOT_ALLOWED", async () => {
    const other = await service().account('Other');
    const [a, b] = await seed([{ email: 'static-a@example.com' }, { email: 'static-b@example.com' }]);
    const [foreign] = await seed([{ email: 'static-a@example.com' }], other);
    const segment = await createSegment(account, { name: 'VIPs', type: 'STATIC' });
    expect(segment.rules).toEqual([]);

    for (let i = 0; i < 2; i++) {
      const added = await account.gql(ADD, { input: { segmentId: segment.id, contactIds: [a, a] } });
      expect(added.data.addContactsToSegment).toEqual({ segment: { id: segment.id }, userErrors: [] });
    }
    expect(await membersOf(account, segment.id)).toEqual({ ids: [a], count: 1 });

    const refused = await account.gql(ADD, { input: { segmentId: segment.id, contactIds: [b, foreign, 'nonsense'] } });
    expect(refused.data.addContactsToSegment).toMatchObject({
      segment: null,
      userErrors: [
        { field: ['input', 'contactIds', '1'], code: 'NOT_FOUND' },
        { field: ['input', 'contactIds', '2'], code: 'NOT_FOUND' },
      ],
    });
    expect((await membersOf(account, segment.id)).ids).toEqual([a]);

    const dynamic = await dynamicSegment(account, [{ field: 'email', operator: 'EXISTS' }]);
    const notAllowed = await account.gql(ADD, { input: { segmentId: dynamic.id, contactIds: [a] } });
    expect(notAllowed.data.addContactsToSegment.userErrors).toMatchObject([{ field: ['input', 'segmentId'], code: 'NOT_ALLOWED' }]);
    const missing = await account.gql(ADD, { input: { segmentId: 'seg_aaaaaaaaaaaaaaaaaaaa', contactIds: [a] } });
    expect(missing.data.addContactsToSegment.userErrors).toMatchObject([{ field: ['input', 'segmentId'], code: 'NOT_FOUND' }]);

    const removed = await account.gql(REMOVE, { input: { segmentId: segment.id, contactIds: [a, b] } });
    expect(removed.data.removeContactsFromSegment.userErrors).toEqual([]);
    expect(await membersOf(account, segment.id)).toEqual({ ids: [], count: 0 });
  });

  it('lists static memberships and matching dynamic segments in Contact.segments, newest first', async () => {
    const [contact] = await seed([{ email: 'both@example.com', firstName: 'Bo', unsubscribed: true }]);
    const listed = await createSegment(account, { name: 'Listed', type: 'STATIC' });
    await account.gql(ADD, { input: { segmentId: listed.id, contactIds: [contact] } });
    const named = await dynamicSegment(account, [{ field: 'first_name', operator: 'EQUALS', value: 'bo' }]);
    const gone = await dynamicSegment(account, [{ field: 'unsubscribed', operator: 'EQUALS', value: 'TRUE' }]);
    await dynamicSegment(account, [{ field: 'unsubscribed', operator: 'EQUALS', value: 'false' }]);
    expect(await segmentsOfContact(account, contact!)).toEqual([gone.id, named.id, listed.id]);

    const page = await account.gql(
      `query ($id: ID!) { contact(id: $id) { segments(first: 2) { edges { node { id } } pageInfo { hasNextPage endCursor } } } }`,
      { id: contact },
    );
    expect(page.data.contact.segments.pageInfo.hasNextPage).toBe(true);
    const next = await account.gql(
      `query ($id: ID!, $after: String) { contact(id: $id) { segments(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } } }`,
      {
        id: contact,
        after: page.data.contact.segments.pageInfo.endCursor,
      },
    );
    expect(next.data.contact.segments).toEqual({
      edges: [{ node: { id: listed.id } }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
    const last = await account.gql(`query ($id: ID!) { contact(id: $id) { segments(last: 1) { edges { node { id } } } } }`, {
      id: contact,
    });
    expect(last.data.contact.segments.edges).toEqual([{ node: { id: listed.id } }]);
  });

  it('deletes a segment with its memberships, never the contacts', async () => {
    const [contact] = await seed([{ email: 'stays@example.com' }]);
    const segment = await createSegment(account, { name: 'Doomed', type: 'STATIC' });
    await account.gql(ADD, { input: { segmentId: segment.id, contactIds: [contact] } });
    expect((await account.gql(DELETE, { id: segment.id })).data.deleteSegment).toEqual({ deletedSegmentId: segment.id, userErrors: [] });
    expect((await account.gql(DELETE, { id: segment.id })).data.deleteSegment).toMatchObject({
      deletedSegmentId: null,
      userErrors: [{ code: 'NOT_FOUND' }],
    });
    expect((await account.gql('query ($id: ID!) { contact(id: $id) { id } }', { id: contact })).data.contact).toEqual({ id: contact });
    expect(await segmentsOfContact(account, contact!)).toEqual([]);
    expect(await service().service.db.prisma.segmentMembership.count({ where: { segmentId: segment.id } })).toBe(0);
  });

  it("never shows or changes another account's segment", async () => {
    const other = await service().account('Stranger');
    const theirs = await createSegment(other, { name: 'Theirs', type: 'STATIC' });
    const read = await account.gql(
      'query ($id: ID!) { segment(id: $id) { id } node(id: $id) { id } contacts(segmentId: $id) { totalCount } }',
      { id: theirs.id },
    );
    expect(read.data).toEqual({ segment: null, node: null, contacts: { totalCount: 0 } });
    expect((await account.gql(UPDATE, { input: { id: theirs.id, name: 'Mine' } })).data.updateSegment.userErrors).toMatchObject([
      { code: 'NOT_FOUND' },
    ]);
    expect((await account.gql(DELETE, { id: theirs.id })).data.deleteSegment.userErrors).toMatchObject([{ code: 'NOT_FOUND' }]);
    expect((await other.gql('query ($id: ID!) { node(id: $id) { id ... on Segment { name } } }', { id: theirs.id })).data.node).toEqual({
      id: theirs.id,
      name: 'Theirs',
    });
  });

  it('lists segments newest first, searchable by name, paged without skips', async () => {
    const owner = await service().account('Lister');
    const names = ['Alpha customers', 'beta testers', 'ALPHA prospects', 'Gamma'];
    const made = [];
    for (const name of names) made.push(await createSegment(owner, { name, type: 'STATIC' }));
    const search = await owner.gql('{ segments(search: "alpha") { edges { node { name } } totalCount } }');
    expect(search.data.segments).toEqual({
      edges: [{ node: { name: 'ALPHA prospects' } }, { node: { name: 'Alpha customers' } }],
      totalCount: 2,
    });

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await owner.gql(
        'query ($after: String) { segments(first: 3, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } }',
        { after },
      );
      seen.push(...page.data.segments.edges.map((edge: any) => edge.node.id));
      expect(page.data.segments.totalCount).toBe(4);
      after = page.data.segments.pageInfo.hasNextPage ? page.data.segments.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(made.map((segment) => segment.id).reverse());
  });

  it('pages on from the cursor of a segment deleted since, both ways', async () => {
    const owner = await service().account('Cleaner');
    const made = [];
    for (const name of ['s0', 's1', 's2', 's3', 's4']) made.push(await createSegment(owner, { name, type: 'STATIC' }));
    const newestFirst = made.map((segment) => segment.id).reverse();
    const PAGE = `query ($first: Int, $after: String, $last: Int, $before: String) {
      segments(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage } } }`;
    const first = (await owner.gql(PAGE, { first: 3 })).data.segments;
    // A client deleting what it pages through: the page's last segment goes before the next page is asked for.
    expect((await owner.gql(DELETE, { id: newestFirst[2] })).data.deleteSegment.userErrors).toEqual([]);
    const next = (await owner.gql(PAGE, { first: 3, after: first.edges[2].cursor })).data.segments;
    expect(next.edges.map((edge: any) => edge.node.id)).toEqual(newestFirst.slice(3));
    expect(next.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    const back = (await owner.gql(PAGE, { last: 3, before: first.edges[2].cursor })).data.segments;
    expect(back.edges.map((edge: any) => edge.node.id)).toEqual(newestFirst.slice(0, 2));
  });

  it('searches names for the text as it is: % and _ are no wildcards', async () => {
    const owner = await service().account('Literal');
    for (const name of ['100% customers', '100 customers', 'a_b', 'axb']) await createSegment(owner, { name, type: 'STATIC' });
    const names = async (search: string) =>
      (await owner.gql('query ($search: String) { segments(search: $search) { edges { node { name } } } }', { search })).data.segments.edges
        .map((edge: any) => edge.node.name)
        .sort();
    expect(await names('%')).toEqual(['100% customers']);
    expect(await names('0% C')).toEqual(['100% customers']);
    expect(await names('a_b')).toEqual(['a_b']);
  });

  it("pages a segment's members with search and subscribed, like the contact list", async () => {
    const owner = await service().account('Pager');
    const ids = await seed(
      Array.from({ length: 25 }, (_, i) => ({
        email: `member${i}@example.com`,
        firstName: i % 2 ? 'Odd' : 'Even',
        unsubscribed: i % 5 === 0,
        properties: { group: 'g' },
      })),
      owner,
    );
    const segment = await dynamicSegment(owner, [{ field: 'properties.group', operator: 'EQUALS', value: 'G' }]);
    const query =
      'query ($id: ID!, $after: String) { segment(id: $id) { contactCount contacts(first: 10, after: $after, search: "odd", subscribed: true) { edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } } }';
    const first = await owner.gql(query, { id: segment.id });
    expect(first.data.segment.contactCount).toBe(25);
    expect(first.data.segment.contacts.totalCount).toBe(10);
    const second = await owner.gql(query, { id: segment.id, after: first.data.segment.contacts.pageInfo.endCursor });
    const seen = [...first.data.segment.contacts.edges, ...second.data.segment.contacts.edges].map((edge: any) => edge.node.id);
    expect(seen.sort()).toEqual(ids.filter((_, i) => i % 2 === 1 && i % 5 !== 0).sort());
  });
});
