// SEMANTICS.md "Listing and search": segmentId keeps only members of that segment.
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import type { TestAccount } from '../support/service.js';
import { useService } from '../support/service.js';
import { createContact } from './helpers.js';

const CREATE_SEGMENT =
  'mutation ($input: CreateSegmentInput!) { createSegment(input: $input) { segment { id } userErrors { code message } } }';
const LIST = `query ($segmentId: ID, $search: String, $subscribed: Boolean) {
  contacts(segmentId: $segmentId, search: $search, subscribed: $subscribed, orderBy: { field: EMAIL, direction: ASC }) { edges { node { email } } totalCount }
  contactsPage(segmentId: $segmentId, search: $search, subscribed: $subscribed, orderBy: { field: EMAIL, direction: ASC }) { contacts { email } pagination { total } }
}`;

describe.each(DATABASE_KINDS)('contacts of one segment on %s', (kind) => {
  const service = useService(kind);
  let account: TestAccount;
  let staticId: string;
  let dynamicId: string;

  async function emailsOf(variables: Record<string, unknown>) {
    const response = await account.gql(LIST, variables);
    expect(response.errors).toBeUndefined();
    const { contacts, contactsPage } = response.data;
    const emails = contacts.edges.map((edge: { node: { email: string } }) => edge.node.email);
    expect(contactsPage.contacts.map((contact: { email: string }) => contact.email)).toEqual(emails);
    expect(contacts.totalCount).toBe(emails.length);
    expect(contactsPage.pagination.total).toBe(emails.length);
    return emails;
  }

  async function segment(input: Record<string, unknown>): Promise<string> {
    const response = await account.gql(CREATE_SEGMENT, { input });
    expect(response.data.createSegment.userErrors).toEqual([]);
    return response.data.createSegment.segment.id;
  }

  beforeAll(async () => {
    account = await service().account();
    const a = await createContact(account, { email: 'a@example.com', firstName: 'Ann', properties: { plan: 'pro' } });
    await createContact(account, { email: 'b@example.com', firstName: 'Bob', properties: { plan: 'free' } });
    const c = await createContact(account, { email: 'c@example.com', firstName: 'Cy', properties: { plan: 'pro' }, unsubscribed: true });
    staticId = await segment({ name: 'Hand-picked', type: 'STATIC' });
    const added = await account.gql(
      'mutation ($input: SegmentMembershipInput!) { addContactsToSegment(input: $input) { userErrors { code } } }',
      { input: { segmentId: staticId, contactIds: [a.id, c.id] } },
    );
    expect(added.data.addContactsToSegment.userErrors).toEqual([]);
    dynamicId = await segment({ name: 'Pro', type: 'DYNAMIC', rules: [{ field: 'properties.plan', operator: 'EQUALS', value: 'pro' }] });
  });

  it('lists and counts only the members of a static segment', async () => {
    expect(await emailsOf({ segmentId: staticId })).toEqual(['a@example.com', 'c@example.com']);
  });

  it('lists and counts the contacts a dynamic segment matches, at once after a change', async () => {
    expect(await emailsOf({ segmentId: dynamicId })).toEqual(['a@example.com', 'c@example.com']);
    await createContact(account, { email: 'd@example.com', properties: { plan: 'PRO' } });
    expect(await emailsOf({ segmentId: dynamicId })).toEqual(['a@example.com', 'c@example.com', 'd@example.com']);
  });

  it('combines the segment with search and subscribed', async () => {
    expect(await emailsOf({ segmentId: staticId, subscribed: true })).toEqual(['a@example.com']);
    expect(await emailsOf({ segmentId: dynamicId, search: 'cy' })).toEqual(['c@example.com']);
  });

  it("answers an empty list for another account's segment", async () => {
    const other = await service().account();
    const response = await other.gql(LIST, { segmentId: staticId });
    expect(response.data).toEqual({ contacts: { edges: [], totalCount: 0 }, contactsPage: { contacts: [], pagination: { total: 0 } } });
  });
});
