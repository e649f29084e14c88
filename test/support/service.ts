// A real service on a real port over a scratch database, and a small GraphQL client for it.
import { afterAll, beforeAll } from 'vitest';
import { startService, type Service } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createAccount } from '../../src/core/accounts/service.js';
import { type DatabaseKind, type ScratchDatabase, scratchDatabase } from './databases.js';

export interface GraphqlResponse<Data = any> {
  status: number;
  data?: Data;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

export interface TestAccount {
  accountId: string;
  apiKey: string;
  /** POSTs one GraphQL operation with this account's key. */
  gql<Data = any>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResponse<Data>>;
}

export interface TestService {
  service: Service;
  url: string;
  config: Config;
  /** A new account with its key, on this service. */
  account(name?: string): Promise<TestAccount>;
  stop(): Promise<void>;
}

export function testConfig(database: ScratchDatabase['config'], overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), database, ...overrides };
}

/** Settings of the PostgreSQL pools (PGlite has one connection): IMPORT_POOL_SIZE. */
export interface PoolSettings {
  importPoolSize?: number;
}

export async function startTestService(
  kind: DatabaseKind,
  overrides: Partial<Config> = {},
  pools: PoolSettings = {},
): Promise<TestService & { scratch: ScratchDatabase }> {
  const scratch = await scratchDatabase(kind);
  const config = testConfig(scratch.config.kind === 'postgres' ? { ...scratch.config, ...pools } : scratch.config, overrides);
  const service = await startService(config);
  return {
    service,
    scratch,
    config,
    url: service.url,
    account: async (name = 'Test account') => {
      const { accountId, apiKey } = await createAccount(service.db, name);
      return { accountId, apiKey, gql: (query, variables) => graphql(service.url, query, variables, apiKey) };
    },
    async stop() {
      await service.stop();
      await scratch.drop();
    },
  };
}

/** Starts a service on `kind` for the enclosing describe block and stops it after. */
export function useService(kind: DatabaseKind, overrides: Partial<Config> = {}, pools: PoolSettings = {}): () => TestService {
  let current: TestService | undefined;
  beforeAll(async () => {
    current = await startTestService(kind, overrides, pools);
  });
  afterAll(async () => {
    await current?.stop();
  });
  return () => {
    if (!current) throw new Error('the service is not started yet');
    return current;
  };
}

export async function graphql<Data = any>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  apiKey?: string,
): Promise<GraphqlResponse<Data>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphqlResponse<Data>, 'status'>;
  return { status: response.status, ...body };
}
