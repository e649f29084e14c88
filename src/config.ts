// Configuration from the environment, read once and checked, so that a wrong setting stops the
// process with one clear line instead of a failure later.
import type { DatabaseTimeouts } from './db/timeouts.js';
import type { ImportSettings } from './core/imports/import-runtime.js';
import { DEFAULT_RETRY_SCHEDULE_MS, parseRetrySchedule, type WebhookSettings } from './core/webhooks/settings.js';

export const DEFAULT_TIMEOUTS: DatabaseTimeouts = { connectMs: 5000, statementMs: 30_000 };
/**
 * IMPORT_POOL_SIZE: the connections of the imports' own pool (issue 11: imports cannot take the
 * interactive pool). One: an import commits one batch at a time anyway, and on a 2-core machine
 * two import backends took both cores, interactive p95 during 8 imports 50–71 ms against 32–36
 * with one (bench:isolation).
 */
export const DEFAULT_IMPORT_POOL_SIZE = 1;
/** DATABASE_POOL_SIZE: the connections of the interactive pool. */
export const DEFAULT_POOL_SIZE = 10;

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; timeouts?: DatabaseTimeouts; poolSize?: number; importPoolSize?: number }
  | { kind: 'pglite'; dataDir: string };

export interface Config {
  database: DatabaseConfig;
  port: number;
  host: string;
  maxUploadBytes: number;
  maxJsonBodyBytes: number;
  logLevel: LogLevel;
  /** null: any origin. */
  corsOrigins: string[] | null;
  production: boolean;
  imports: ImportSettings;
  /** EVENT_RETENTION_DAYS: events older than this are deleted, and a feed cursor older than this is refused. */
  eventRetentionDays: number;
  /** SHUTDOWN_DRAIN_MS: how long requests in flight may take to finish after SIGTERM. */
  drainMs: number;
  webhooks: WebhookSettings;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const database = databaseConfig(env);
  return {
    database,
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST?.trim() || (database.kind === 'pglite' ? '127.0.0.1' : '0.0.0.0'),
    maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    maxJsonBodyBytes: integer(env, 'MAX_JSON_BODY_BYTES', 1024 ** 2, 1, Number.MAX_SAFE_INTEGER),
    logLevel: logLevel(env),
    corsOrigins: corsOrigins(env),
    production: env.NODE_ENV === 'production',
    imports: {
      maxConcurrent: integer(env, 'MAX_CONCURRENT_IMPORTS', 2, 1, 1000),
      leaseMs: integer(env, 'IMPORT_LEASE_MS', 30_000, 300, 3_600_000),
    },
    drainMs: integer(env, 'SHUTDOWN_DRAIN_MS', 30_000, 0, 3_600_000),
    webhooks: webhookSettings(env),
    eventRetentionDays: integer(env, 'EVENT_RETENTION_DAYS', 30, 1, 3650),
  };
}

function webhookSettings(env: NodeJS.ProcessEnv): WebhookSettings {
  const raw = env.WEBHOOK_ALLOW_PRIVATE_NETWORKS?.trim().toLowerCase();
  if (raw && raw !== 'true' && raw !== 'false') {
    throw new ConfigError(`WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false (got "${raw}")`);
  }
  const schedule = env.WEBHOOK_RETRY_SCHEDULE?.trim();
  const retryScheduleMs = schedule ? parseRetrySchedule(schedule) : DEFAULT_RETRY_SCHEDULE_MS;
  if (!retryScheduleMs) {
    throw new ConfigError(
      `WEBHOOK_RETRY_SCHEDULE must be comma-separated delays such as 5s,5m,30m,2h (ms, s, m, h or d; 1 to 20 of them, each up to 7d; got "${schedule}")`,
    );
  }
  return {
    allowPrivateNetworks: raw === 'true',
    retryScheduleMs,
    pollMs: 1000,
    concurrency: integer(env, 'WEBHOOK_CONCURRENCY', 64, 1, 1000),
  };
}

function databaseConfig(env: NodeJS.ProcessEnv): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: 'pglite', dataDir: env.DATA_DIR?.trim() || './data' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      'DATABASE_URL is not a URL; set it to postgres://user:password@host:5432/database, or unset it to use the embedded database in DATA_DIR',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//); unset it to use the embedded database`,
    );
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new ConfigError('DATABASE_URL names no host; set it to postgres://user:password@host:5432/database');
  }
  const timeouts = {
    connectMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', DEFAULT_TIMEOUTS.connectMs, 1, 600_000),
    statementMs: integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', DEFAULT_TIMEOUTS.statementMs, 0, 86_400_000),
  };
  const poolSize = integer(env, 'DATABASE_POOL_SIZE', DEFAULT_POOL_SIZE, 1, 1000);
  const importPoolSize = integer(env, 'IMPORT_POOL_SIZE', DEFAULT_IMPORT_POOL_SIZE, 1, 1000);
  return { kind: 'postgres', url, timeouts, poolSize, importPoolSize };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function logLevel(env: NodeJS.ProcessEnv): LogLevel {
  const raw = (env.LOG_LEVEL?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
  }
  return raw as LogLevel;
}

function corsOrigins(env: NodeJS.ProcessEnv): string[] | null {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw || raw === '*') return null;
  return raw
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}
