// A real headless Chromium (Debian's chromium-headless-shell, installed by .ci/run) driven by
// puppeteer-core, which brings no browser of its own.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

export function chromiumPath(): string {
  const path = CANDIDATES.find((candidate) => candidate && existsSync(candidate));
  if (!path) throw new Error('no Chromium: apt-get install chromium-headless-shell (or set CHROMIUM_PATH)');
  return path;
}

export function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: 'shell',
    args: [
      '--no-sandbox', // root in CI
      // Nothing of the browser's own may go out: the machine has no internet, and the test
      // counts every request the page makes.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-gpu',
    ],
  });
}
