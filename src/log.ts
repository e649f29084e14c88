// One JSON line per event on stderr, filtered by LOG_LEVEL.
import type { LogLevel } from './config.js';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

let threshold = rank[(process.env.LOG_LEVEL?.toLowerCase() as LogLevel) ?? 'info'] ?? rank.info;

export function setLogLevel(level: LogLevel): void {
  threshold = rank[level];
}

function write(level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void {
  if (rank[level] < threshold) return;
  const line = { time: new Date().toISOString(), level, message, ...fields };
  process.stderr.write(`${JSON.stringify(line, errorReplacer)}\n`);
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return typeof value === 'bigint' ? value.toString() : value;
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
