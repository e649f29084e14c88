// A process that cannot start says why in one line, without a stack trace, and exits non-zero.
import { ConfigError } from './config.js';
import { DatabaseOpenError } from './db/database.js';
import { ListenError } from './http/server.js';
import { log } from './log.js';

export function exitWithReason(error: unknown): never {
  const known = error instanceof ConfigError || error instanceof DatabaseOpenError || error instanceof ListenError;
  if (!known) log.debug('startup failed', { error });
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`contacts: ${message}\n`);
  process.exit(1);
}
