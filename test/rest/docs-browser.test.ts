// REST.md, The API description: GET /docs, as a new user opens it in a real browser on a network
// with no internet: the page, its script, style and icon come from the service, and it renders
// every route of openapi.json.
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ASSETS_BASE } from '../../src/http/docs.js';
import { launchBrowser } from '../support/browser.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useService } from '../support/service.js';
import { rest } from './helpers.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe.each(DATABASE_KINDS)('GET /docs on %s', (kind) => {
  const service = useService(kind);

  it('is an HTML page served without a key, loading its files from a versioned path', async () => {
    const page = await rest(service().url, null, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain(`${DOCS_ASSETS_BASE}/swagger-ui-bundle.js`);
    expect(page.text).not.toMatch(/https?:\/\//);
    const script = await fetch(`${service().url}${DOCS_ASSETS_BASE}/swagger-ui-bundle.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await script.arrayBuffer();
    const head = await fetch(`${service().url}/docs`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const post = await rest(service().url, null, 'POST', '/docs');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(post.body.errors[0].code).toBe('METHOD_NOT_ALLOWED');
  });

  it('renders every route of openapi.json in a browser, and asks nothing of the internet', async () => {
    const { body: document } = await rest(service().url, null, 'GET', '/openapi.json');
    const expected = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();

    const page = await browser.newPage();
    const outside: string[] = [];
    const pageErrors: string[] = [];
    const failed: string[] = [];
    try {
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const url = request.url();
        if (url.startsWith(`${service().url}/`) || url.startsWith('data:') || url.startsWith('blob:')) return void request.continue();
        outside.push(url);
        void request.abort();
      });
      page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      page.on('pageerror', (error) => pageErrors.push(String(error)));

      await page.goto(`${service().url}/docs`, { waitUntil: 'networkidle0' });
      expect(await page.title()).toBe('Contacts REST API');
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      const rendered = await page.$$eval('.opblock', (blocks) =>
        blocks.map((block) => {
          const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
          const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
          return `${method.toUpperCase()} ${path}`;
        }),
      );
      expect(rendered.sort()).toEqual(expected);
      const text = await page.$eval('body', (element) => element.textContent ?? '');
      expect(text).toContain('Contacts REST API');
      expect(text).toContain('Create a contact');

      expect(outside).toEqual([]);
      expect(failed).toEqual([]);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('tries a call on its own service with the key given to Authorize', async () => {
    const account = await service().account();
    const page = await browser.newPage();
    try {
      await page.goto(`${service().url}/docs`, { waitUntil: 'networkidle0' });
      await page.locator('.btn.authorize').click();
      await page.locator('.auth-container input').fill(account.apiKey);
      await page.locator('.auth-btn-wrapper .btn.authorize').click();
      await page.locator('.btn-done').click();
      await page.locator('#operations-Contacts-listContacts .opblock-summary-control').click();
      await page.locator('#operations-Contacts-listContacts .try-out__btn').click();
      const call = page.waitForResponse((response) => new URL(response.url()).pathname === '/contacts');
      await page.locator('#operations-Contacts-listContacts .execute').click();
      const response = await call;
      expect(response.url().startsWith(`${service().url}/contacts`)).toBe(true);
      expect(response.status()).toBe(200);
      expect(response.request().headers().authorization).toBe(`Bearer ${account.apiKey}`);
      // The answer as the page shows it: its status and the JSON page.
      const shown = await page.waitForFunction(() => {
        const row = document.querySelector('#operations-Contacts-listContacts .live-responses-table tbody .response');
        const status = row?.querySelector('.response-col_status')?.textContent?.trim();
        return status ? { status, body: row?.querySelector('.response-col_description')?.textContent ?? '' } : false;
      });
      const { status, body } = (await shown.jsonValue()) as { status: string; body: string };
      expect(status).toBe('200');
      expect(body).toContain('"pagination"');
    } finally {
      await page.close();
    }
  });
});
