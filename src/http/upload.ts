// Request bodies on /graphql. Yoga's own multipart parser reads the whole body into memory before
// a resolver runs, and its body limit wraps every body in a second stream; so both are off (see
// yoga.ts) and this plugin does their work: multipart requests are read by the one upload reader
// (multipart.ts) straight from the socket (the file streams into the import as it arrives, at most
// one file of MAX_UPLOAD_BYTES), and every other body is held to the JSON limit.
import { GraphQLError } from 'graphql';
import type { FetchAPI, Plugin } from 'graphql-yoga';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readGraphqlForm } from './multipart.js';

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
              extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', http: { status, headers: EARLY_ANSWER } },
            });
          }
        });
        return;
      }
      const length = request.headers.get('content-length');
      if (length !== null && !(Number(length) <= maxJsonBodyBytes)) throw bodyTooLarge(maxJsonBodyBytes);
      if (requestParser && request.body) setRequestParser((original) => requestParser(limitBody(original, maxJsonBodyBytes, fetchAPI)));
    },
  };
}

function bodyTooLarge(limit: number): GraphQLError {
  return new GraphQLError(`Request body too large: at most ${limit} bytes (MAX_JSON_BODY_BYTES); files go in a multipart upload`, {
    extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413, headers: EARLY_ANSWER } },
  });
}

/** An answer given before the body was read closes the connection: what is left of the body would be read as the next request. */
const EARLY_ANSWER = { Connection: 'close' };

/** The same request whose body fails once it passes limit bytes (a body sent without a length). */
function limitBody(request: Request, limit: number, fetchAPI: FetchAPI): Request {
  let seen = 0;
  // The body is a native or a ponyfill stream depending on the server adapter; pipe it through
  // a TransformStream of its own kind (as Yoga's own limit does).
  const Transform = request.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(bodyTooLarge(limit));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, body, duplex: 'half' } as RequestInit);
}
