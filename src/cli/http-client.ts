// What the import and export commands share: the API base URL and key from the options, and one
// streamed HTTP request (the CLI talks to the service over HTTP only, so it works while the
// service holds the embedded database).
import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export const DEFAULT_URL = 'http://127.0.0.1:4000';

/** A failure the user can act on: printed as one line, exit code 1. */
export class CliError extends Error {}

export interface ApiOptions {
  url?: string;
  key?: string;
}

export function apiTarget(options: ApiOptions, path: string): { url: URL; key: string } {
  if (!options.key) throw new CliError('--key <sk_live_…> is required (an API key of the account)');
  let url: URL;
  try {
    url = new URL(path, `${(options.url ?? DEFAULT_URL).replace(/\/+$/, '')}/`);
  } catch {
    throw new CliError(`--url ${options.url} is not a URL; give the service's base URL, e.g. ${DEFAULT_URL}`);
  }
  return { url, key: options.key };
}

/**
 * Starts a request on a connection of its own; the caller writes the body and ends it. Resolves
 * with the response. Not a pooled connection: a streamed body cannot be sent again, and an idle
 * pooled socket may be one the server is closing just then (its keep-alive timeout). Still marked
 * keep-alive, as curl's are: the server then reads past a body it refuses early (a 401) instead of
 * closing on it, and the answer arrives rather than a broken pipe.
 */
export function open(
  url: URL,
  options: { method: string; headers: Record<string, string | number> },
): { request: ClientRequest; response: Promise<IncomingMessage> } {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  let request!: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request = send(url, { ...options, headers: { ...options.headers, connection: 'keep-alive' }, agent: false }, resolve);
    request.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ECONNREFUSED' ? new CliError(`nothing answers at ${url.origin}; is the service running? (--url)`) : error),
    );
  });
  return { request, response };
}

export async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The error message of a JSON error answer, or the status line. */
export function errorOf(status: number | undefined, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: string; errors?: { message: string }[] };
    const message = parsed.error ?? parsed.errors?.[0]?.message;
    if (message) return `${message} (HTTP ${status})`;
  } catch {
    // not JSON: fall through
  }
  return `the service answered HTTP ${status}`;
}
