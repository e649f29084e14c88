// Prints the schema from the builder into schema.graphql; with --check, fails when the
// committed file differs from what the builder prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from '../src/graphql/index.js';

const path = new URL('../schema.graphql', import.meta.url);
const printed = `${printSchema(schema)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(path, 'utf8');
  } catch {
    // a missing file differs like any other
  }
  if (committed !== printed) {
    console.error('schema.graphql is not what the builder prints; run `npm run schema:print` and commit it');
    process.exit(1);
  }
} else {
  writeFileSync(path, printed);
}
