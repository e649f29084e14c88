// The service in a process of its own, as in production, so that the load driver and the
// service do not share an event loop.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RunningService {
  url: string;
  /** The service's own process (not npm's), whose memory a benchmark may read. */
  pid: number;
  stop(): Promise<void>;
}

/**
 * The service as `npm start` runs it: compiled once, then the last step of the start script (node
 * with its flags), so that a benchmark measures what users run. env picks the database.
 * BENCH_NODE_ARGS adds node flags in front (`--cpu-prof --cpu-prof-dir=/tmp/prof` profiles the service).
 * `checkout` is the service's directory: this one, or another checkout to compare it with.
 */
export async function startServiceProcess(env: Record<string, string>, port = 4100, checkout = ROOT): Promise<RunningService> {
  buildOnce(checkout);
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS?.split(/\s+/) ?? []), ...startArgs(checkout)], {
    cwd: checkout,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // A benchmark that fails must not leave its service running.
  process.once('exit', () => child.kill('SIGTERM'));
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, 'exit');
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    if (waited > 60_000) throw new Error('the service did not become ready within 60 s');
    if (
      await fetch(`${url}/readyz`).then(
        (response) => response.ok,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const built = new Set<string>();

function buildOnce(checkout: string): void {
  if (built.has(checkout)) return;
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: checkout, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run build failed in ${checkout}`);
  built.add(checkout);
}

/** The arguments of the node command that ends the checkout's package.json start script. */
function startArgs(checkout: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  // The script ends in `exec node …` (so npm's child is the service); the arguments follow `node`.
  const [command, ...args] = scripts
    .start!.split('&&')
    .at(-1)!
    .trim()
    .replace(/^exec\s+/, '')
    .split(/\s+/);
  if (command !== 'node') throw new Error(`the start script no longer ends with a node command: ${scripts.start}`);
  return args;
}

/**
 * GET /contacts/export with curl as the client, so that a figure is the service's rather than a
 * Node client's sharing its cores; answers the lines (header included) and bytes received.
 */
export function downloadExport(service: RunningService, apiKey: string): { lines: number; bytes: number } {
  const curl = spawnSync('bash', ['-c', 'set -o pipefail; curl -sSf -H "Authorization: Bearer $KEY" "$URL/contacts/export" | wc -lc'], {
    env: { ...process.env, KEY: apiKey, URL: service.url },
    encoding: 'utf8',
  });
  if (curl.status !== 0) throw new Error(`export failed: ${curl.stderr}`);
  const [lines, bytes] = curl.stdout.trim().split(/\s+/).map(Number);
  return { lines: lines!, bytes: bytes! };
}

/** A GraphQL client for one key: resolves to data, rejects on any error. */
export function graphqlClient(url: string, apiKey: string) {
  return async <Data = any>(query: string, variables?: Record<string, unknown>): Promise<Data> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((error) => error.message).join('; ')}`);
    return body.data as Data;
  };
}

/**
 * A REST client for one key: resolves to the parsed JSON body, rejects on any status but the
 * expected one (so that a benchmark never counts an error answer as a fast request).
 */
export function restClient(url: string, apiKey: string) {
  return async <Body = any>(method: string, path: string, expectedStatus: number, body?: unknown): Promise<Body> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expectedStatus) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as Body;
  };
}
