// The one error body of every non-2xx REST answer (REST.md, Errors):
//   { "errors": [ { "code", "message", "field"? } ] }
import type { ServerResponse } from 'node:http';
import type { ErrorPath, UserError } from '../../core/user-error.js';
import { sendJson } from '../respond.js';

export type RestErrorCode =
  | UserError['code']
  | 'UNAUTHENTICATED'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'METHOD_NOT_ALLOWED'
  | 'SERVICE_UNAVAILABLE'
  | 'TOO_MANY_IMPORTS'
  | 'INTERNAL';

export interface RestErrorItem {
  code: RestErrorCode;
  message: string;
  field?: (string | number)[];
}

/** An answer that is not a success: thrown by any step of a route, written by the router. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly errors: RestErrorItem[],
    readonly headers: Record<string, string> = {},
    /** Beside `errors` in the body: the job of a refused import (`job_id` and its counts). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(errors[0]?.message ?? `HTTP ${status}`);
  }

  static one(status: number, code: RestErrorCode, message: string, field?: (string | number)[]): RestError {
    return new RestError(status, [{ code, message, ...(field && { field }) }]);
  }
}

export function sendErrors(res: ServerResponse, error: RestError): void {
  sendJson(res, error.status, { errors: error.errors, ...error.extra }, error.headers);
}

/** The core speaks camelCase field names; the REST body is snake_case. */
export function snakePath(path: ErrorPath): (string | number)[] {
  return path.map((part) => (typeof part === 'string' ? part.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`) : part));
}

/** Maps a core refusal to its status: 409 for TAKEN, 404 for a missing target, 422 for the rest. */
export function userErrorsAnswer(errors: readonly UserError[], { notFoundIsTarget = false } = {}): RestError {
  const items = errors.map((error) => ({
    code: error.code,
    message: error.message,
    ...(error.path && error.path.length > 0 && { field: snakePath(error.path) }),
  }));
  const status = errors.some((error) => error.code === 'TAKEN')
    ? 409
    : notFoundIsTarget && errors.some((error) => error.code === 'NOT_FOUND')
      ? 404
      : 422;
  return new RestError(status, items);
}
