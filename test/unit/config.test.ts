// The configuration read from the environment (SEMANTICS.md, Configuration; README, Configuration).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('database pool configuration', () => {
  it('reads DATABASE_POOL_SIZE (default 10) with the other PostgreSQL settings, and refuses a wrong value', () => {
    const url = 'postgres://localhost/db';
    expect(loadConfig({ DATABASE_URL: url }).database).toMatchObject({ poolSize: 10, importPoolSize: 1 });
    expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: '25' }).database).toMatchObject({ poolSize: 25 });
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: 'ten' })).toThrow(ConfigError);
  });
});
