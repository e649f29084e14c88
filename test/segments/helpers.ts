// Shared by the segment tests: contacts put straight into the database (with chosen timestamps),
// segments made through the API, and the GraphQL that reads them back.
import { expect } from 'vitest';
import type { PrismaClient } from '../../src/db/generated/prisma/client.js';
import { newId } from '../../src/core/ids.js';
import type { TestAccount } from '../support/service.js';

export interface SeedContact {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  properties?: Record<string, string | number | boolean>;
  unsubscribed?: boolean;
  createdAt?: Date;
}

/** Inserts contacts for `account`; answers their ids in order. */
export async function seedContacts(prisma: PrismaClient, accountId: string, contacts: SeedContact[]): Promise<string[]> {
  const rows = contacts.map((contact) => ({ id: newId('contact'), accountId, ...contact, updatedAt: contact.createdAt }));
  await prisma.contact.createMany({ data: rows });
  return rows.map((row) => row.id);
}

export interface RuleInput {
  field: string;
  operator: string;
  value?: string;
  values?: string[];
}

export const SEGMENT_FIELDS = 'id name type match rules { field operator value values } createdAt updatedAt';

const CREATE = `mutation ($input: CreateSegmentInput!) {
  createSegment(input: $input) { segment { ${SEGMENT_FIELDS} } userErrors { field code message } }
}`;

/** createSegment's payload, as it came. */
export async function tryCreateSegment(account: TestAccount, input: Record<string, unknown>): Promise<any> {
  const response = await account.gql(CREATE, { input });
  expect(response.errors).toBeUndefined();
  return response.data.createSegment;
}

export async function createSegment(account: TestAccount, input: Record<string, unknown>): Promise<Record<string, any>> {
  const payload = await tryCreateSegment(account, input);
  expect(payload.userErrors).toEqual([]);
  return payload.segment;
}

export function dynamicSegment(account: TestAccount, rules: RuleInput[], match = 'ALL'): Promise<Record<string, any>> {
  return createSegment(account, { name: `dynamic ${Math.random()}`, type: 'DYNAMIC', match, rules });
}

/** The ids of a segment's members (up to 100) and its contactCount. */
export async function membersOf(account: TestAccount, segmentId: string): Promise<{ ids: string[]; count: number }> {
  const response = await account.gql(
    `query ($id: ID!) { segment(id: $id) { contactCount contacts(first: 100) { edges { node { id } } } } }`,
    { id: segmentId },
  );
  expect(response.errors).toBeUndefined();
  const segment = response.data.segment;
  return { ids: segment.contacts.edges.map((edge: any) => edge.node.id), count: segment.contactCount };
}

/** The ids of the segments a contact belongs to. */
export async function segmentsOfContact(account: TestAccount, contactId: string): Promise<string[]> {
  const response = await account.gql(
    `query ($id: ID!) { contact(id: $id) { segments(first: 100) { edges { node { id } } totalCount } } }`,
    { id: contactId },
  );
  expect(response.errors).toBeUndefined();
  const { edges, totalCount } = response.data.contact.segments;
  expect(totalCount).toBe(edges.length);
  return edges.map((edge: any) => edge.node.id);
}
