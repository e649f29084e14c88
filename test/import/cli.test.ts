// `npm run cli -- import …` and `export …` against a real running service, as separate processes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { exportCommand } from '../../src/cli/export.js';
import { importCommand } from '../../src/cli/import.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { run } from '../support/process.js';
import { useService } from '../support/service.js';
import { contactsOf, exportCsv, FIXTURES } from './helpers.js';

describe.each(DATABASE_KINDS)('the import and export commands on %s', (kind) => {
  const service = useService(kind);

  it('import streams a file to the API with plain progress lines off a terminal, then prints the counts', async () => {
    const account = await service().account();
    const result = await run('cli', ['import', join(FIXTURES, 'messy.csv'), '--key', account.apiKey, '--url', service().url], {});
    expect(result.stderr).toMatch(/sent 0\.0 MiB of 0\.0 MiB \(100%\), \d+ rows\/s/);
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Imported 3, updated 0, errors 2 \(job imp_[a-z0-9]{20}\)\.\n/),
    });
    expect(Object.keys(await contactsOf(service(), account.accountId))).toHaveLength(3);
  });

  it('import --segment adds the contacts to a static segment; failures exit non-zero with the reason', async () => {
    const account = await service().account();
    const segment = await service().service.db.prisma.segment.create({
      data: { id: 'seg_clisegment0000000001', accountId: account.accountId, name: 'CLI', type: 'STATIC' },
    });
    const ok = await run(
      'cli',
      ['import', join(FIXTURES, 'basic.csv'), '--key', account.apiKey, '--url', service().url, '--segment', segment.id],
      {},
    );
    expect(ok.code).toBe(0);
    expect(await service().service.db.prisma.segmentMembership.count({ where: { segmentId: segment.id } })).toBe(3);

    const dir = mkdtempSync(join(tmpdir(), 'cli-import-'));
    writeFileSync(join(dir, 'bad.csv'), 'name\nAnn\n');
    const refused = await run('cli', ['import', join(dir, 'bad.csv'), '--key', account.apiKey, '--url', service().url], {});
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('no email column') });
    const unauthorised = await run('cli', ['import', join(FIXTURES, 'basic.csv'), '--key', 'sk_live_wrong', '--url', service().url], {});
    expect(unauthorised).toMatchObject({ code: 1, stderr: expect.stringContaining('HTTP 401') });
  });

  it('export writes the same CSV as the endpoint to a file with -o, or to stdout', async () => {
    const account = await service().account();
    await run('cli', ['import', join(FIXTURES, 'excel-bom-semicolon.csv'), '--key', account.apiKey, '--url', service().url], {});
    const expected = (await exportCsv(service(), account.apiKey)).text;
    const file = join(mkdtempSync(join(tmpdir(), 'cli-export-')), 'out.csv');
    const toFile = await run('cli', ['export', '--key', account.apiKey, '--url', service().url, '-o', file], {});
    expect(toFile.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(expected);
    const toStdout = await run('cli', ['export', '--key', account.apiKey, '--url', service().url], {});
    expect(toStdout).toMatchObject({ code: 0, stdout: expected });
  });

  it('sends each upload and download on a connection of its own, never on an idle one the server may be closing', async () => {
    const account = await service().account();
    const proxy = await connectionCounter(service().url);
    const output = join(mkdtempSync(join(tmpdir(), 'cli-connections-')), 'out.csv');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (let run = 0; run < 2; run++) await importCommand([join(FIXTURES, 'basic.csv'), '--key', account.apiKey, '--url', proxy.url]);
      await exportCommand(['--key', account.apiKey, '--url', proxy.url, '-o', output]);
      expect(stdout.mock.calls.map(([line]) => String(line))).toEqual([
        expect.stringMatching(/^Imported 3, updated 0/),
        expect.stringMatching(/^Imported 0, updated 3/),
      ]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      await proxy.close();
    }
    expect(proxy.connections()).toBe(3);
    expect(readFileSync(output, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
  });
});

/** A TCP relay in front of the service that counts the connections made through it. */
async function connectionCounter(target: string) {
  const { hostname, port } = new URL(target);
  let connections = 0;
  const relay = createServer((client) => {
    connections++;
    const upstream = connect(Number(port), hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => relay.close(() => resolve())),
  };
}
