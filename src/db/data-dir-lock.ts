// The embedded database belongs to one process at a time. A lock file in the data directory
// names its holder; a second process refuses at once, before it opens anything. A lock left by
// a process that no longer exists (killed, crashed) is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseOpenError } from './driver.js';

interface Holder {
  pid: number;
  command: string;
  since: string;
}

export function lockDataDir(dir: string): () => void {
  const path = join(dir, '.lock');
  const me: Holder = { pid: process.pid, command: process.argv.slice(1).join(' '), since: new Date().toISOString() };

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder && isAlive(holder.pid)) {
        throw new DatabaseOpenError(
          `the embedded database in ${dir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}); stop it first, or talk to it over HTTP`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DatabaseOpenError(`cannot lock the embedded database in ${dir}: another process keeps taking the lock`);
}

function readHolder(path: string): Holder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Holder;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
