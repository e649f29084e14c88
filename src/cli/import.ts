// `import <file.csv> --key … [--url …] [--segment …]`: streams the file to POST /contacts/import
// as a multipart form (what curl -F "file=@…" sends), showing progress as it goes, then prints the
// counts. The service imports as the bytes arrive, so bytes sent is also progress made.
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { apiTarget, CliError, errorOf, open, readBody } from './http-client.js';
import { Progress } from './progress.js';

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { key: { type: 'string' }, url: { type: 'string' }, segment: { type: 'string' } },
  });
  const path = positionals[0];
  if (!path || positionals.length > 1)
    throw new CliError('import takes one file: import <file.csv> --key <key> [--url <base>] [--segment <seg_…>]');
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new CliError(`cannot read ${path}`);
  }
  const target = apiTarget(values, 'contacts/import');
  if (values.segment) target.url.searchParams.set('segment_id', values.segment);

  const boundary = `----contacts-cli-${Date.now().toString(16)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${basename(path).replace(/["\r\n]/g, '_')}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { request, response } = open(target.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${target.key}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + size + tail.length,
    },
  });

  const progress = new Progress(size);
  request.write(head);
  const file = createReadStream(path);
  file.on('data', (chunk) => progress.sent(chunk as Buffer));
  file.on('end', () => request.end(tail));
  file.on('error', (error) => request.destroy(error));
  file.pipe(request, { end: false });

  const answer = await response;
  const body = await readBody(answer);
  progress.done();
  if (answer.statusCode !== 200) {
    const parsed = safeJson(body);
    const job = parsed?.job_id ? ` (job ${parsed.job_id})` : '';
    throw new CliError(`import failed: ${errorOf(answer.statusCode, body)}${job}`);
  }
  const counts = JSON.parse(body) as { imported: number; updated: number; errors: number; job_id: string };
  process.stdout.write(`Imported ${counts.imported}, updated ${counts.updated}, errors ${counts.errors} (job ${counts.job_id}).\n`);
  if (counts.errors > 0)
    process.stdout.write(
      `Rejected rows and their line numbers: query importJob(id: "${counts.job_id}") { rowErrors { line email message } }\n`,
    );
}

function safeJson(text: string): { job_id?: string } | null {
  try {
    return JSON.parse(text) as { job_id?: string };
  } catch {
    return null;
  }
}
