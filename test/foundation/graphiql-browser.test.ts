// GraphiQL as a new user meets it, in a real browser on a network with no internet: the page, its
// scripts, styles, editor workers and icon all come from the service; the key typed into the
// Headers tab runs a query and the answer shows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS, type DatabaseKind, scratchDatabase, type ScratchDatabase } from '../support/databases.js';
import { launchBrowser } from '../support/browser.js';
import { run, type ServerProcess, startServerProcess } from '../support/process.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A service process as an operator starts it, and the key a new user has for it. */
async function startWithKey(kind: DatabaseKind): Promise<{ server: ServerProcess; key: string; cleanup: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'contacts-graphiql-'));
    const server = await startServerProcess({ DATA_DIR: dataDir });
    const key = /sk_live_\w+/.exec(server.printed)![0];
    return { server, key, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const scratch: ScratchDatabase = await scratchDatabase('postgres');
  const env = { DATABASE_URL: (scratch.config as { url: string }).url, HOST: '127.0.0.1' };
  await run('cli', ['migrate'], env);
  const created = await run('cli', ['accounts', 'create', '--name', 'GraphiQL user', '--json'], env);
  const { apiKey } = JSON.parse(created.stdout) as { apiKey: string };
  const server = await startServerProcess(env);
  return { server, key: apiKey, cleanup: () => scratch.drop() };
}

/** Replaces what a Monaco editor holds by typing, as a person would (it closes brackets itself). */
async function typeInto(page: Page, editor: string, text: string): Promise<void> {
  await page.click(editor);
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

describe.each(DATABASE_KINDS)('GraphiQL in a browser, on %s', (kind) => {
  it('loads everything from the service and runs a query with the key typed into Headers', async () => {
    const { server, key, cleanup } = await startWithKey(kind);
    const page = await browser.newPage();
    const outside: string[] = [];
    const pageErrors: string[] = [];
    try {
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = request.url();
        if (url.startsWith(`${server.url}/`) || url.startsWith('data:') || url.startsWith('blob:')) return void request.continue();
        outside.push(url);
        void request.abort();
      });
      page.on('pageerror', (error) => pageErrors.push(String(error)));

      await page.goto(`${server.url}/graphql`, { waitUntil: 'networkidle0' });
      expect(await page.title()).toBe('Contacts service');
      await page.waitForSelector('.graphiql-query-editor .monaco-editor');

      await page.locator('button ::-p-text(Headers)').click();
      await typeInto(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor', `{"Authorization": "Bearer ${key}"}`);
      await typeInto(page, '.graphiql-query-editor .monaco-editor', '{ contacts(first: 1) { totalCount } }');
      // GraphiQL reads the editor a moment after typing; the tab's title leaving the default
      // operation's name shows it has (run earlier, it would look for that operation).
      await page.waitForFunction(() => !document.querySelector('.graphiql-tab-active')?.textContent?.includes('FirstContacts'));
      await page.click('.graphiql-execute-button');

      const answer = await page.waitForFunction(
        () => {
          const text = document.querySelector('.graphiql-response')?.textContent ?? '';
          return text.includes('totalCount') ? text : false;
        },
        { timeout: 30_000 },
      );
      const text = (await answer.jsonValue()) as string;
      expect(JSON.parse(text.replace(/\u00a0/g, ' '))).toEqual({ data: { contacts: { totalCount: 0 } } });
      expect(outside).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
      server.child.kill('SIGTERM');
      await server.exited;
      await cleanup();
    }
  });
});
