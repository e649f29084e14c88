// `npm run cli -- <command>`: the operator's commands. Account, key and migration commands open
// the database directly (refusing a DATA_DIR in use); import and export go through the HTTP API.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { createAccount, createKey, revokeKey } from '../core/accounts/service.js';
import { setLogLevel } from '../log.js';
import { exitWithReason } from '../startup-errors.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';

const USAGE = `usage: npm run cli -- <command>

  accounts create --name <name> [--json]     create an account and its first API key
  keys create --account <acc_…> [--json]      create another key for an account
  keys revoke <key-prefix-or-id>              revoke a key (sk_live_XXXXXXXX… prefix or key_… id)
  migrate                                     apply pending migrations and exit
  import <file.csv> --key <key> [--url <base>] [--segment <seg_…>]
                                              upload a CSV through the HTTP API (default --url http://127.0.0.1:4000)
  export [--segment <seg_…>] --key <key> [--url <base>] [-o file.csv]
                                              download contacts as CSV (to stdout without -o)
`;

class UsageError extends Error {}

type Command = (args: string[]) => Promise<void>;

const commands: Record<string, Command> = {
  import: importCommand,
  export: exportCommand,
  'accounts create': async (args) => {
    const { values } = parseArgs({ args, options: { name: { type: 'string' }, json: { type: 'boolean' } } });
    if (!values.name?.trim()) throw new UsageError('accounts create needs --name <name>');
    const created = await withDatabase((db) => createAccount(db, values.name!.trim()));
    print(values.json, created, `Account ${created.accountId} created.\nAPI key (shown only this once): ${created.apiKey}`);
  },
  'keys create': async (args) => {
    const { values } = parseArgs({ args, options: { account: { type: 'string' }, json: { type: 'boolean' } } });
    if (!values.account) throw new UsageError('keys create needs --account <acc_…>');
    const created = await withDatabase((db) => createKey(db, values.account!));
    if (!created) throw new UsageError(`no account ${values.account}`);
    print(values.json, created, `API key for ${created.accountId} (shown only this once): ${created.apiKey}`);
  },
  'keys revoke': async (args) => {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const target = positionals[0];
    if (!target || positionals.length > 1) throw new UsageError('keys revoke takes one key prefix or key id');
    const result = await withDatabase((db) => revokeKey(db, target));
    if ('error' in result) {
      throw new UsageError(
        result.error === 'AMBIGUOUS'
          ? `${target} matches more than one live key; give more of the key or its key_… id`
          : `no live key matches ${target}`,
      );
    }
    process.stdout.write(`Key ${result.revoked} revoked.\n`);
  },
  migrate: async (args) => {
    parseArgs({ args, options: {} });
    const applied = await withOpenDatabase((db) => migrate(db));
    process.stdout.write(applied.length ? `Applied ${applied.join(', ')}.\n` : 'No pending migrations.\n');
  },
};

async function withOpenDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig().database);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Account and key commands may be the first thing run against a new database. */
function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  return withOpenDatabase(async (db) => {
    await migrate(db);
    return fn(db);
  });
}

function print(json: boolean | undefined, value: object, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${text}\n`);
}

async function main(argv: string[]): Promise<void> {
  setLogLevel(process.env.LOG_LEVEL ? loadConfig().logLevel : 'warn');
  const name = [argv.slice(0, 2).join(' '), argv[0] ?? ''].find((candidate) => candidate in commands);
  if (!name) {
    process.stderr.write(USAGE);
    process.exit(argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? 0 : 2);
  }
  await commands[name]!(argv.slice(name.split(' ').length));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`contacts: ${(error as Error).message}\n`);
    process.exit(2);
  }
  exitWithReason(error);
});
