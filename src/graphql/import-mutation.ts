// importContacts: a GraphQL multipart upload (parsed from the socket by http/upload.ts) run
// through the same import as POST /contacts/import. The mutation answers when the file is done;
// meanwhile importJob(id) shows the counts moving.
import type { ImportJob } from '../core/imports/job.js';
import { type UserError, userError } from '../core/user-error.js';
import { checkImportSegment, importFile } from '../core/imports/service.js';
import { builder } from './builder.js';
import { ImportJobRef } from './import-job.js';
import { UserErrorRef } from './user-error.js';
import { GraphQLError } from 'graphql';
import type { FileUpload } from 'graphql-upload-minimal';
import { IMPORTS_BUSY } from '../core/imports/import-runtime.js';
import type { Context } from './context.js';

interface ImportPayload {
  job: ImportJob | null;
  userErrors: UserError[];
}

const ImportContactsInput = builder.inputType('ImportContactsInput', {
  fields: (t) => ({
    file: t.field({ type: 'Upload', required: true }),
    segmentId: t.id({ description: 'Add every imported or updated contact to this STATIC segment.' }),
  }),
});

builder.mutationField('importContacts', (t) =>
  t.field({
    type: builder.objectRef<ImportPayload>('ImportContactsPayload').implement({
      fields: (p) => ({
        job: p.field({
          type: ImportJobRef,
          nullable: true,
          description:
            'The import, once the whole file is read; null with a file-level userError (the FAILED job stays in importJobs, with the batches before the failure).',
          resolve: (payload) => payload.job,
        }),
        userErrors: p.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
      }),
    }),
    description:
      'Imports a CSV file (SEMANTICS.md, CSV import). Bad rows are counted and listed in job.rowErrors; a file that cannot be read as CSV fails the job with an INVALID user error.',
    args: { input: t.arg({ type: ImportContactsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const release = ctx.imports.tryAcquire();
      if (!release) throw importsBusyError();
      try {
        return await ctx.imports.track(importContacts(input, ctx));
      } finally {
        release();
      }
    },
  }),
);

async function importContacts(input: { file: Promise<FileUpload>; segmentId?: string | null }, ctx: Context): Promise<ImportPayload> {
  let upload: Awaited<typeof input.file>;
  try {
    upload = await input.file;
  } catch (error) {
    // The form's map names a file the request does not hold, or the form broke off.
    const status = (error as { status?: number }).status;
    if (!status || status >= 500) throw error;
    return { job: null, userErrors: [userError('INVALID', ['file'], `the upload cannot be read: ${(error as Error).message}`)] };
  }
  // Bounded by the upload reader (http/multipart.ts): past MAX_UPLOAD_BYTES the import fails the job.
  const file = upload.createReadStream();
  if (input.segmentId) {
    const problem = await checkImportSegment(ctx.db, ctx.accountId, input.segmentId);
    if (problem) {
      file.resume();
      return { job: null, userErrors: [problem] };
    }
  }
  const { job, refusal } = await importFile(ctx.db, {
    caller: ctx.caller,
    segmentId: input.segmentId ?? null,
    filename: upload.filename || null,
    file,
    runtime: ctx.imports,
    keyHash: ctx.keyHash,
  });
  // A refused file is a null job beside its user error, as in every payload (SEMANTICS.md);
  // the FAILED job stays listed by importJobs and importJob(id).
  return refusal ? { job: null, userErrors: [refusal] } : { job, userErrors: [] };
}

function importsBusyError(): GraphQLError {
  return new GraphQLError(IMPORTS_BUSY.message, {
    extensions: {
      code: IMPORTS_BUSY.code,
      http: { status: 429, headers: { 'Retry-After': String(IMPORTS_BUSY.retryAfterSeconds), Connection: 'close' } },
    },
  });
}
