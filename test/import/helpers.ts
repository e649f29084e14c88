// What the import and export tests share: sending a file as curl -F does, reading a job back
// through GraphQL, and the stored contacts of an account as a comparable snapshot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestAccount, TestService } from '../support/service.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'csv');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

export interface ImportAnswer {
  status: number;
  /** `errors` counts the bad rows of an import that ran; a refused one lists its errors there (REST.md). */
  body: { imported: number; updated: number; errors: number | RestErrorItem[]; job_id: string };
}

export interface RestErrorItem {
  code: string;
  message: string;
  field?: (string | number)[];
}

/** POST /contacts/import with the file in the multipart field "file". */
export async function postCsv(service: TestService, apiKey: string, file: string | Buffer, query = ''): Promise<ImportAnswer> {
  const form = new FormData();
  form.append('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)], { type: 'text/csv' }), 'contacts.csv');
  const response = await fetch(`${service.url}/contacts/import${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as ImportAnswer['body'] };
}

const JOB = `query ($id: ID!) { importJob(id: $id) {
  id status filename rowsProcessed imported updated errors failureReason createdAt finishedAt
  rowErrors(first: 1000) { line email message } } }`;

export async function jobOf(account: TestAccount, id: string) {
  const response = await account.gql(JOB, { id });
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data.importJob;
}

/** The account's contacts by email, without ids and times. */
export async function contactsOf(service: TestService, accountId: string) {
  const rows = await service.service.db.prisma.contact.findMany({ where: { accountId }, orderBy: { email: 'asc' } });
  return Object.fromEntries(
    rows.map((row) => [
      row.email,
      { firstName: row.firstName, lastName: row.lastName, properties: row.properties, unsubscribed: row.unsubscribed },
    ]),
  );
}

export async function exportCsv(
  service: TestService,
  apiKey: string,
  query = '',
): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${service.url}/contacts/export${query}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}
