// The one reader of uploads, for the REST form (POST /contacts/import, field "file") and the
// GraphQL multipart request (importContacts, parsed by graphql-upload-minimal, which reads with
// busboy too): both read straight from the socket, take at most one file of MAX_UPLOAD_BYTES, and
// hand the import a file stream through boundedFile, the one limit check, which fails the stream
// with the core's FileTooLargeError (one message) once busboy cuts the file at the limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import { type FileUpload, processRequest, Upload } from 'graphql-upload-minimal';
import { FileTooLargeError } from '../core/imports/service.js';

/** The form is no multipart form that can be read (no boundary, say, or it broke off before the file). */
export class MultipartError extends Error {}

/** A file as busboy streams it: `truncated` once it passed the size limit, when it emits "limit". */
type BusboyFile = Readable & { truncated?: boolean };

/**
 * Runs `run` on the REST form's `file` field as it arrives; null when the form has none.
 * Other fields and files are skipped.
 */
export function readImportForm<T>(
  req: IncomingMessage,
  maxUploadBytes: number,
  run: (file: Readable, filename: string | null) => Promise<T>,
): Promise<T | null> {
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
      run(boundedFile(file, maxUploadBytes), info.filename || null).then(resolve, reject);
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

/**
 * The GraphQL multipart request's operations, each Upload in them answering a file stream bounded
 * as the REST form's is. Fails with graphql-upload-minimal's HTTP errors (a `status`).
 */
export async function readGraphqlForm(req: IncomingMessage, res: ServerResponse, maxUploadBytes: number): Promise<unknown> {
  const operations: unknown = await processRequest(req, res, { maxFileSize: maxUploadBytes, maxFiles: 1 });
  boundUploads(operations, maxUploadBytes);
  return operations;
}

function boundUploads(value: unknown, maxUploadBytes: number): void {
  if (value instanceof Upload) {
    value.promise = value.promise.then((upload) => boundedUpload(upload, maxUploadBytes));
    value.promise.catch(() => {}); // as Upload itself does: a file never read is no crash
  } else if (value && typeof value === 'object') {
    for (const child of Object.values(value)) boundUploads(child, maxUploadBytes);
  }
}

function boundedUpload(upload: FileUpload, maxUploadBytes: number): FileUpload {
  return {
    ...upload,
    // graphql-upload-minimal types its streams as fs.ReadStream; they are busboy's Readables.
    createReadStream: ((): Readable => {
      let file: BusboyFile;
      try {
        file = upload.createReadStream();
      } catch (error) {
        // graphql-upload-minimal already saw the file pass the limit before it was asked for.
        if ((error as { status?: number }).status !== 413) throw error;
        return failed(new FileTooLargeError(maxUploadBytes));
      }
      return boundedFile(file, maxUploadBytes);
    }) as unknown as FileUpload['createReadStream'],
  };
}

/** The one limit check: the file, failing with FileTooLargeError once busboy cuts it at maxUploadBytes. */
function boundedFile(file: BusboyFile, maxUploadBytes: number): Readable {
  const bounded = new PassThrough();
  bounded.on('error', () => {}); // the import reads the failure from the stream when it starts (errored)
  const tooLarge = () => bounded.destroy(new FileTooLargeError(maxUploadBytes));
  file.once('limit', tooLarge);
  file.on('error', (error: Error) => bounded.destroy(error));
  // Whatever is left of the file once its reader stops is read and dropped, so that the form
  // (and the request) goes on to its end and the client gets its answer.
  bounded.once('close', () => {
    file.unpipe(bounded);
    file.resume();
  });
  if (file.truncated) tooLarge();
  else file.pipe(bounded);
  return bounded;
}

function failed(error: Error): Readable {
  const stream = new PassThrough();
  stream.on('error', () => {});
  stream.destroy(error);
  return stream;
}
