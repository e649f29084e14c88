// The service and the CLI as separate processes, the way an operator runs them.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function entry(script: 'main' | 'cli'): string {
  return script === 'main' ? 'src/main.ts' : 'src/cli/main.ts';
}

export function spawnService(script: 'main' | 'cli', args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry(script), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs to the end and collects what the process printed. */
export function run(script: 'main' | 'cli', args: string[], env: Record<string, string>): Promise<Finished> {
  const child = spawnService(script, args, env);
  return finished(child);
}

export function finished(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += String(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += String(chunk)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Resolves with the output so far once stdout shows pattern. */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += String(chunk);
      if (pattern.test(seen)) resolve(seen);
    });
    child.on('close', (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${seen}`)));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  exited: Promise<Finished>;
  /** The base URL it listens on, e.g. http://127.0.0.1:43125. */
  url: string;
  /** What it printed up to "GraphiQL: …" (the bootstrap key among it, on a fresh embedded database). */
  printed: string;
}

/** `npm start` as a process, resolved once it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawnService('main', [], { PORT: '0', ...env });
  const exited = finished(child);
  const printed = await waitForOutput(child, /GraphiQL: (\S+)\/graphql/);
  return { child, exited, printed, url: /GraphiQL: (\S+)\/graphql/.exec(printed)![1]! };
}
