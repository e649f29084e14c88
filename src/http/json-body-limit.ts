// The one limit on JSON request bodies (MAX_JSON_BODY_BYTES), for /graphql (upload.ts, a Yoga
// plugin) and the REST router alike: the same 413, code and message on both, whether the body
// declares its length or arrives chunked (then it is counted as it comes). Such an answer is given
// before the body was read: the connection closes after it, since what is left of the body would
// be read as the next request.

import type { IncomingMessage } from 'node:http';

export const JSON_BODY_TOO_LARGE = { status: 413, code: 'PAYLOAD_TOO_LARGE' } as const;

/** The headers of an answer given before the body was read. */
export const EARLY_ANSWER_HEADERS = { Connection: 'close' } as const;

export function jsonBodyTooLargeMessage(limit: number): string {
  return `the request body is too large: over ${limit} bytes (MAX_JSON_BODY_BYTES); files go in a multipart upload`;
}

/** True when a declared content-length is past the limit (or is no length at all). */
export function declaredTooLarge(contentLength: string | null | undefined, limit: number): boolean {
  return contentLength !== null && contentLength !== undefined && !(Number(contentLength) <= limit);
}

/**
 * The whole body, read straight from the socket and held to the limit whether or not it declared
 * its length; `tooLarge` makes the error to throw once it passes (the rest is left unread).
 */
export async function readBodyWithin(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  if (declaredTooLarge(req.headers['content-length'], limit)) throw tooLarge();
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
