// A problem with the input of a change, told to the client beside a null result (SEMANTICS.md:
// mutation payloads never throw for bad input). Its path is relative to the input the core was
// given (["email"], ["rules", 1, "operator"], ["contacts", 3, "email"]); each surface says where
// that input sits in its own request (GraphQL: under "input").
export const USER_ERROR_CODES = ['INVALID', 'TAKEN', 'NOT_FOUND', 'TOO_LONG', 'LIMIT_EXCEEDED', 'NOT_ALLOWED'] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export type ErrorPath = readonly (string | number)[];

export interface UserError {
  /** null: the input as a whole. */
  path: ErrorPath | null;
  message: string;
  code: UserErrorCode;
}

/** What a change answers: its result, or the user errors that stopped it (nothing was changed). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

export function userError(code: UserErrorCode, path: ErrorPath | null, message: string): UserError {
  return { code, path, message };
}

/** Errors of a part of a larger input, at their path inside it. */
export function nested(prefix: ErrorPath, errors: readonly UserError[]): UserError[] {
  return errors.map((error) => ({ ...error, path: [...prefix, ...(error.path ?? [])] }));
}
