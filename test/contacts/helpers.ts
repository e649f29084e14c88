// Shared by the contact tests: the fields a test reads back, and quick ways to make contacts.
import { expect } from 'vitest';
import type { TestAccount } from '../support/service.js';

export const CONTACT_FIELDS = 'id email firstName lastName properties unsubscribed unsubscribedAt createdAt updatedAt';

export interface ContactInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  properties?: Record<string, unknown> | null;
  unsubscribed?: boolean | null;
}

export async function createContact(account: TestAccount, input: ContactInput): Promise<Record<string, any>> {
  const response = await account.gql(
    `mutation ($input: CreateContactInput!) { createContact(input: $input) { contact { ${CONTACT_FIELDS} } userErrors { field code message } } }`,
    { input },
  );
  expect(response.errors).toBeUndefined();
  expect(response.data.createContact.userErrors).toEqual([]);
  return response.data.createContact.contact;
}

/** Creates contacts through upsertContacts, 1000 at a time. */
export async function createContacts(account: TestAccount, inputs: ContactInput[]): Promise<void> {
  for (let start = 0; start < inputs.length; start += 1000) {
    const response = await account.gql(
      'mutation ($input: UpsertContactsInput!) { upsertContacts(input: $input) { created userErrors { field code } } }',
      { input: { contacts: inputs.slice(start, start + 1000) } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.upsertContacts).toEqual({ created: Math.min(1000, inputs.length - start), userErrors: [] });
  }
}

export async function readContact(account: TestAccount, id: string): Promise<Record<string, any> | null> {
  const response = await account.gql(`query ($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`, { id });
  expect(response.errors).toBeUndefined();
  return response.data.contact;
}

/** The GraphQL error code of a response that must have failed as a whole. */
export function errorCode(response: { errors?: { extensions?: Record<string, unknown> }[] }): unknown {
  expect(response.errors).toHaveLength(1);
  return response.errors?.[0]?.extensions?.code;
}
