// POST /contacts/import as curl -F "file=@…" sends it.
export interface ImportAnswer {
  status: number;
  body: { imported: number; updated: number; errors: number; job_id: string } & Record<string, unknown>;
}

export async function uploadCsv(
  baseUrl: string,
  apiKey: string,
  csv: string | Uint8Array<ArrayBuffer>,
  filename = 'contacts.csv',
  query = '',
): Promise<ImportAnswer> {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), filename);
  const response = await fetch(`${baseUrl}/contacts/import${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as ImportAnswer['body'] };
}
