// GET /contacts/imports/:job_id (REST.md): an import job, as GraphQL's importJob(id) reads it, with
// every row error it kept. The import and export themselves are raw routes (./index.ts).
import { importJobOf, KEPT_ROW_ERRORS, rowErrorsOf } from '../../core/imports/service.js';
import { RestError } from './errors.js';
import { importJobJson } from '../../core/json.js';
import { jsonRoute, type Route } from './route.js';
import { ImportJobParams, ImportJobSchema } from './schemas.js';

/** The same answer for an unknown job, another account's and an id of another type. */
export function importJobNotFound(id: string): RestError {
  return RestError.one(404, 'NOT_FOUND', `there is no import job ${id} in this account`);
}

export const importJobRoutes: Route[] = [
  jsonRoute({
    method: 'GET',
    path: '/contacts/imports/{job_id}',
    operationId: 'getImportJob',
    summary: 'An import job: its status, counts and the rows it rejected',
    tag: 'Imports',
    params: ImportJobParams,
    responses: { 200: { description: 'The job', schema: ImportJobSchema } },
    errors: [401, 404],
    handler: async ({ db, accountId, params }) => {
      const job = await importJobOf(db, accountId, params.job_id);
      if (!job) throw importJobNotFound(params.job_id);
      return { status: 200, body: importJobJson(job, await rowErrorsOf(db, job.id, KEPT_ROW_ERRORS)) };
    },
  }),
];
