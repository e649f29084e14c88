import { USER_ERROR_CODES, type UserError } from '../core/user-error.js';
import { builder } from './builder.js';

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', { values: USER_ERROR_CODES });

export const UserErrorRef = builder.objectRef<UserError>('UserError').implement({
  description: 'A problem with the input of a mutation. field is the path to the input field, e.g. ["input", "email"].',
  fields: (t) => ({
    // The core's paths are relative to the input it was given, which is every mutation's `input`.
    field: t.stringList({ nullable: true, resolve: (error) => error.path && ['input', ...error.path.map(String)] }),
    message: t.exposeString('message'),
    code: t.expose('code', { type: UserErrorCodeEnum }),
  }),
});
