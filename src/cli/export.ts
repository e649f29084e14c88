// `export [--segment <id>] --key … [--url …] [-o file.csv]`: streams GET /contacts/export into a
// file, or to stdout without -o.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { apiTarget, CliError, errorOf, open, readBody } from './http-client.js';

export async function exportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { key: { type: 'string' }, url: { type: 'string' }, segment: { type: 'string' }, output: { type: 'string', short: 'o' } },
  });
  const target = apiTarget(values, 'contacts/export');
  if (values.segment) target.url.searchParams.set('segment_id', values.segment);
  const { request, response } = open(target.url, { method: 'GET', headers: { authorization: `Bearer ${target.key}` } });
  request.end();
  const answer = await response;
  if (answer.statusCode !== 200) throw new CliError(`export failed: ${errorOf(answer.statusCode, await readBody(answer))}`);
  let bytes = 0;
  answer.on('data', (chunk: Buffer) => (bytes += chunk.length));
  await pipeline(answer, values.output ? createWriteStream(values.output) : process.stdout);
  if (values.output) process.stderr.write(`Exported ${(bytes / 1024 / 1024).toFixed(1)} MiB to ${values.output}.\n`);
}
