// POST /contacts/import: the same import as importContacts, for curl and the CLI:
//   curl -X POST <base>/contacts/import -H "Authorization: Bearer <key>" -F "file=@contacts.csv"
// The multipart field `file` streams from the socket into the import; `?segment_id=` adds every
// imported or updated contact to that STATIC segment. Answers JSON { imported, updated, errors, job_id }.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { UserError } from '../core/user-error.js';
import { checkImportSegment, type ImportResult, importFile } from '../core/imports/service.js';
import { bearerKey, requireAccount } from './auth.js';
import { hashKey } from '../core/accounts/service.js';
import { callerOf } from '../core/events/service.js';
import { IMPORTS_BUSY, type ImportRuntime } from '../core/imports/import-runtime.js';
import { type RouteHandler, sendJson } from './respond.js';

const STATUS: Record<UserError['code'], number> = {
  INVALID: 400,
  TOO_LONG: 400,
  TAKEN: 409,
  NOT_FOUND: 404,
  NOT_ALLOWED: 422,
  LIMIT_EXCEEDED: 413,
};

export function importRoute(db: Database, config: Config, imports: ImportRuntime): RouteHandler {
  return async (req, res, url) => {
    if (req.method !== 'POST')
      return sendJson(res, 405, { error: 'use POST with a multipart form whose field "file" holds the CSV' }, { allow: 'POST' });
    const accountId = await requireAccount(db, req, res);
    if (!accountId) return;
    if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
      return sendJson(res, 415, { error: 'send the file as multipart/form-data in the field "file" (curl -F "file=@contacts.csv")' });
    }
    const segmentId = url.searchParams.get('segment_id') || null;
    if (segmentId) {
      const problem = await checkImportSegment(db, accountId, segmentId);
      if (problem) return sendJson(res, STATUS[problem.code], { error: problem.message, code: problem.code });
    }

    const release = imports.tryAcquire();
    if (!release)
      return sendJson(
        res,
        429,
        { error: IMPORTS_BUSY.message, code: IMPORTS_BUSY.code },
        { 'Retry-After': String(IMPORTS_BUSY.retryAfterSeconds) },
      );
    const key = bearerKey(req.headers.authorization)!;
    const keyHash = hashKey(key);
    let result: ImportResult | null;
    try {
      result = await imports.track(
        receiveFile(
          req,
          (file, filename) =>
            importFile(db, {
              caller: callerOf(accountId, 'import', key),
              segmentId,
              filename,
              file,
              maxUploadBytes: config.maxUploadBytes,
              runtime: imports,
              keyHash,
            }),
          config.maxUploadBytes,
        ),
      );
    } catch (error) {
      if (!(error instanceof MultipartError)) throw error;
      return sendJson(res, 400, { error: `the request is not a readable multipart form: ${error.message}` });
    } finally {
      release();
    }
    if (!result) return sendJson(res, 400, { error: 'the form has no field "file"; send the CSV as -F "file=@contacts.csv"' });
    respond(res, result);
  };
}

function respond(res: ServerResponse, { job, refusal }: ImportResult): void {
  const counts = { imported: job.imported, updated: job.updated, errors: job.errors, job_id: job.id };
  if (!refusal) return sendJson(res, 200, counts);
  // The rest of an over-large upload is not worth waiting for: answer, then close the connection.
  const headers: Record<string, string> = refusal.code === 'LIMIT_EXCEEDED' ? { connection: 'close' } : {};
  sendJson(res, STATUS[refusal.code], { error: refusal.message, code: refusal.code, ...counts }, headers);
}

class MultipartError extends Error {}

/** Runs the import on the form's `file` field; null when the form has none. */
function receiveFile(
  req: IncomingMessage,
  run: (file: Readable, filename: string | null) => Promise<ImportResult>,
  maxUploadBytes: number,
): Promise<ImportResult | null> {
  return new Promise((resolve, reject) => {
    let started = false;
    let form: busboy.Busboy;
    try {
      form = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxUploadBytes, fields: 20, fieldSize: 64 * 1024 } });
    } catch (error) {
      return reject(new MultipartError((error as Error).message)); // no boundary, say
    }
    form.on('file', (name, file, info) => {
      if (name !== 'file' || started) return void file.resume();
      started = true;
      run(file, info.filename || null).then(resolve, reject);
    });
    form.on('close', () => {
      if (!started) resolve(null);
    });
    // Once the file has started, a broken form reaches the import through the file stream, and
    // the import answers (its job FAILED, saying how far it got).
    form.on('error', (error: Error) => {
      if (!started) reject(new MultipartError(error.message));
    });
    // pipe() does not pass on a client that goes away mid-upload: without this the file stream
    // would wait for its end for ever, holding the job and its connections.
    req.on('close', () => {
      if (!req.complete) form.destroy(new Error('the connection closed'));
    });
    req.pipe(form);
  });
}
