// Runs `prisma generate`. Prisma's CLI wants its native schema engine before it generates,
// although generation never runs it; where the engine cannot be downloaded, an empty stand-in
// file satisfies the check. Where a real engine is installed, it is used as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');
// The generators (prisma-pothos-types) are found on PATH.
const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };

if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const standIn = join(root, 'node_modules', '.cache', 'prisma', 'schema-engine-stand-in');
  if (!existsSync(standIn)) {
    mkdirSync(dirname(standIn), { recursive: true });
    writeFileSync(standIn, '#!/bin/sh\necho "stand-in: the schema engine is not installed" >&2\nexit 1\n', { mode: 0o755 });
  }
  env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;
}

execFileSync(join(bin, 'prisma'), ['generate'], { cwd: root, env, stdio: 'inherit' });
