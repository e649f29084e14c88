// importContacts as a GraphQL client sends it: a multipart request (the GraphQL multipart request
// specification) whose file streams to the server.
import type { GraphqlResponse } from './service.js';

export const IMPORT_CONTACTS = `mutation ($input: ImportContactsInput!) {
  importContacts(input: $input) {
    job { id status imported updated errors rowsProcessed }
    userErrors { field code message }
  }
}`;

export async function importContactsGraphql(
  baseUrl: string,
  apiKey: string,
  csv: string | Uint8Array<ArrayBuffer>,
  input: { segmentId?: string | null } = {},
  filename = 'contacts.csv',
): Promise<GraphqlResponse> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: IMPORT_CONTACTS, variables: { input: { file: null, ...input } } }));
  form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
  form.append('0', new Blob([csv], { type: 'text/csv' }), filename);
  const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const text = await response.text();
  let body: Omit<GraphqlResponse, 'status'>;
  try {
    body = JSON.parse(text) as Omit<GraphqlResponse, 'status'>;
  } catch {
    throw new Error(`importContacts answered ${response.status} with no JSON: ${text.slice(0, 500)}`);
  }
  return { status: response.status, ...body };
}
