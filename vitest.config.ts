import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for every package; Vite would give our own files the
    // ESM build, and two copies of graphql cannot share a schema.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Every file opens real databases (PGlite in-process, PostgreSQL over TCP); two at a time fit two cores.
    pool: 'forks',
    maxWorkers: 2,
    // A guard against hangs, not a measure: process tests (a build, a start, a browser) need room
    // on a loaded 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
