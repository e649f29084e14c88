#!/usr/bin/env node
// The installed `contacts` command: the compiled CLI (`npm run build` writes dist/).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('contacts: the CLI is not compiled yet; run `npm run build` in the service directory first\n');
  process.exit(1);
}
await import(cli.href);
