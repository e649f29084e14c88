// A problem with a mutation's input, told to the client in the payload's userErrors
// (SEMANTICS.md: mutation payloads never throw for bad input).
export const USER_ERROR_CODES = ['INVALID', 'TAKEN', 'NOT_FOUND', 'TOO_LONG', 'LIMIT_EXCEEDED', 'NOT_ALLOWED'] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export interface UserError {
  field: string[] | null;
  message: string;
  code: UserErrorCode;
}

export function userError(code: UserErrorCode, field: string[] | null, message: string): UserError {
  return { code, field, message };
}
