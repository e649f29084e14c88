// Request bodies on /graphql. Yoga's own multipart parser reads the whole body into memory before
// a resolver runs, and its body limit wraps every body in a second stream; so both are off (see
// yoga.ts) and this plugin does their work: multipart requests are read by the one upload reader
// (multipart.ts) straight from the socket (the file streams into the import as it arrives, at most
// one file of MAX_UPLOAD_BYTES), and every other body is held to the JSON limit (json-body-limit.ts,
// as the REST router's).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readGraphqlForm } from './multipart.js';
import { EARLY_ANSWER_HEADERS, JSON_BODY_TOO_LARGE, jsonBodyTooLargeMessage, readBodyWithin } from './json-body-limit.js';

export interface BodyLimits {
  maxUploadBytes: number;
  maxJsonBodyBytes: number;
}

export function useBodyLimits({
  maxUploadBytes,
  maxJsonBodyBytes,
}: BodyLimits): Plugin<Record<string, unknown>, { req: IncomingMessage; res: ServerResponse }> {
  return {
    onRequestParse({ request, requestParser, serverContext, setRequestParser, fetchAPI }) {
      if (request.method === 'POST' && /^multipart\/form-data\b/i.test(request.headers.get('content-type') ?? '')) {
        setRequestParser(async () => {
          try {
            // The GraphQL operations are plain objects; Yoga only reads them.
            return (await readGraphqlForm(serverContext.req, serverContext.res, maxUploadBytes)) as never;
          } catch (error) {
            const status = (error as { status?: number }).status ?? 400;
            throw new GraphQLError((error as Error).message, {
              extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', http: { status, headers: EARLY_ANSWER_HEADERS } },
            });
          }
        });
        return;
      }
      if (!requestParser || !request.body) return;
      // Read straight from the socket into one buffer, then parsed by Yoga's own parser: the body's
      // way through web streams (and a counting stream on top) was a fifth of a small query's CPU.
      setRequestParser(async () => {
        // A Buffer, whose pool is an ArrayBuffer (Node allocates no shared memory for sockets).
        const body = (await readBodyWithin(serverContext.req, maxJsonBodyBytes, () =>
          bodyTooLarge(maxJsonBodyBytes),
        )) as Uint8Array<ArrayBuffer>;
        return requestParser(new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, body }));
      });
    },
  };
}

function bodyTooLarge(limit: number): GraphQLError {
  return new GraphQLError(jsonBodyTooLargeMessage(limit), {
    extensions: { code: JSON_BODY_TOO_LARGE.code, http: { status: JSON_BODY_TOO_LARGE.status, headers: EARLY_ANSWER_HEADERS } },
  });
}
