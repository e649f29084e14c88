// The service in a process of its own, as in production, so that the load driver and the
// service do not share an event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

export async function startServiceProcess(databaseUrl: string, port = 4100): Promise<RunningService> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, 'exit');
  for (let waited = 0; ; waited += 100) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    if (waited > 60_000) throw new Error('the service did not become ready within 60 s');
    if (await fetch(`${url}/readyz`).then((response) => response.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
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
