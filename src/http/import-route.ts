// POST /contacts/import: the same import as importContacts, for curl and the CLI:
//   curl -X POST <base>/contacts/import -H "Authorization: Bearer <key>" -F "file=@contacts.csv"
// The multipart field `file` streams from the socket into the import; `?segment_id=` adds every
// imported or updated contact to that STATIC segment. Answers JSON { imported, updated, errors, job_id };
// a failure answers the REST error shape (rest/errors.ts), a refused file with its job beside it.
import type { Config } from '../config.js';
import type { UserError } from '../core/user-error.js';
import { checkImportSegment, type ImportResult, importFile } from '../core/imports/service.js';
import { callerOf } from '../core/events/service.js';
import { IMPORTS_BUSY, type ImportRuntime } from '../core/imports/import-runtime.js';
import { MultipartError, readImportForm } from './multipart.js';
import { sendJson } from './respond.js';
import { RestError } from './rest/errors.js';
import type { RawHandler } from './rest/route.js';

export function importRoute(config: Config, imports: ImportRuntime): RawHandler {
  return async ({ req, res, db, credentials, query }) => {
    const { accountId, key, keyHash } = credentials;
    if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
      throw RestError.one(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'send the file as multipart/form-data in the field "file" (curl -F "file=@contacts.csv")',
      );
    }
    const segmentId = query.segment_id ?? null;
    if (segmentId) {
      const problem = await checkImportSegment(db, accountId, segmentId);
      if (problem) throw RestError.one(problem.code === 'NOT_FOUND' ? 404 : 422, problem.code, problem.message, ['query', 'segment_id']);
    }

    const release = imports.tryAcquire();
    if (!release) {
      throw new RestError(429, [{ code: IMPORTS_BUSY.code, message: IMPORTS_BUSY.message }], {
        'Retry-After': String(IMPORTS_BUSY.retryAfterSeconds),
      });
    }
    let result: ImportResult | null;
    try {
      result = await imports.track(
        readImportForm(req, config.maxUploadBytes, (file, filename) =>
          importFile(db, { caller: callerOf(accountId, 'import', key), segmentId, filename, file, runtime: imports, keyHash }),
        ),
      );
    } catch (error) {
      if (!(error instanceof MultipartError)) throw error;
      throw RestError.one(400, 'BAD_REQUEST', `the request is not a readable multipart form: ${error.message}`);
    } finally {
      release();
    }
    if (!result) throw RestError.one(400, 'BAD_REQUEST', 'the form has no field "file"; send the CSV as -F "file=@contacts.csv"', ['file']);
    const { job, refusal } = result;
    const counts = { imported: job.imported, updated: job.updated, job_id: job.id };
    if (!refusal) return sendJson(res, 200, { ...counts, errors: job.errors });
    throw refusalAnswer(refusal, counts);
  };
}

/**
 * A file refused as a whole (REST.md): 413 past MAX_UPLOAD_BYTES, 422 for the rest, the FAILED
 * job beside the errors. The rest of an over-large upload is not worth waiting for: the
 * connection closes after the answer.
 */
function refusalAnswer(refusal: UserError, counts: Record<string, unknown>): RestError {
  const field = refusal.path ? [...refusal.path] : ['file'];
  if (refusal.code === 'LIMIT_EXCEEDED')
    return new RestError(413, [{ code: 'PAYLOAD_TOO_LARGE', message: refusal.message, field }], { connection: 'close' }, counts);
  return new RestError(422, [{ code: refusal.code, message: refusal.message, field }], {}, counts);
}
