// The one list of codes a GraphQL error's `extensions.code` takes, and what makes every error
// carry one of them. (Mutation `userErrors` have their own codes, `UserErrorCode` in the schema.)
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ServerContext } from './yoga.js';

/** Every code, with its HTTP status and what a client can do about it (the README's table says the same). */
export const ERROR_CODES = {
  UNAUTHENTICATED: '401: no API key, or an unknown or revoked one; send "Authorization: Bearer sk_live_…"',
  BAD_REQUEST:
    '400 (405 for a wrong method): not a GraphQL request this service reads (malformed JSON, no query, a mutation over GET, malformed multipart)',
  UNSUPPORTED_MEDIA_TYPE: '415: a POST body that is neither application/json, application/graphql nor multipart/form-data',
  PAYLOAD_TOO_LARGE: '413: a body over MAX_JSON_BODY_BYTES, or an upload over MAX_UPLOAD_BYTES',
  GRAPHQL_PARSE_FAILED: '200: the query is not GraphQL syntax',
  GRAPHQL_VALIDATION_FAILED: '200: the query does not fit the schema (an unknown field, a wrong literal argument)',
  OPERATION_RESOLUTION_FAILURE: '400: operationName names no operation of the document, or it has several and none is named',
  BAD_USER_INPUT:
    '400 for a variable of the wrong type or missing; 200 with data: null for an argument outside its limits (first, nodes, bulk sizes)',
  QUERY_TOO_COMPLEX: '200: the operation is deeper or costs more than the limits (src/graphql/limits.ts)',
  LIMIT_EXCEEDED: '200: a batch of more than 10 operations (an array with this error for each operation), or contactsCsv past its size',
  SERVICE_UNAVAILABLE: '503: the database is unavailable; retry after Retry-After seconds',
  INTERNAL_SERVER_ERROR: '500 (200 within a result): a fault of the service, answered "Unexpected error." and logged with its stack',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/**
 * The error as clients see it: with a code from the list, and without `originalError`, which
 * Yoga sets on a malformed JSON body to V8's SyntaxError (whose message echoes the body).
 */
export function withDocumentedCode(error: GraphQLError): GraphQLError {
  // Changed in place: Yoga reads the error's other extensions (its HTTP status) afterwards.
  const extensions = error.extensions as Record<string, unknown>;
  if (extensions.originalError) {
    delete extensions.originalError;
    // Yoga answers such an error 400 only while it carries originalError; without it, `spec`
    // would turn the status to 200.
    const http = extensions.http as { status?: number } | undefined;
    if (http?.status) extensions.http = { status: http.status };
  }
  // graphql-js leaves two kinds of error without a code: a variable it cannot coerce (before
  // execution, so with no path) and a fault while executing (with a path).
  if (!isErrorCode(extensions.code)) extensions.code = error.path ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT';
  return error;
}

/** A body no parser reads: Yoga answers 415 with no body; this answers it with an error and its code. */
export function useUnsupportedMediaType(): Plugin<Record<string, unknown>, ServerContext> {
  return {
    onRequestParse({ requestParser, endResponse, fetchAPI, request }) {
      // Other methods go on to Yoga's 405.
      if (requestParser || request.method !== 'POST') return;
      const body = {
        errors: [
          {
            message: `Unsupported content-type ${JSON.stringify(request.headers.get('content-type') ?? '')}: send application/json (or multipart/form-data for an upload).`,
            extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' satisfies ErrorCode },
          },
        ],
      };
      endResponse(
        new fetchAPI.Response(JSON.stringify(body), { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } }),
      );
    },
  };
}
