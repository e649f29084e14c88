// Every REST route, in the order openapi.json lists them. The streamed import and export keep
// their own handlers (src/http/import-route.ts, export-route.ts), mounted here as they are.
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { ImportRuntime } from '../../core/imports/import-runtime.js';
import { exportRoute } from '../export-route.js';
import { importRoute } from '../import-route.js';
import { contactRoutes } from './contacts.js';
import { importJobRoutes } from './imports.js';
import { segmentRoutes } from './segments.js';
import { eventRoutes } from './events.js';
import type { Route } from './route.js';

export function restRoutes(db: Database, config: Config, imports: ImportRuntime): Route[] {
  return [
    ...contactRoutes,
    ...segmentRoutes,
    {
      kind: 'raw',
      method: 'POST',
      path: '/contacts/import',
      operationId: 'importContacts',
      summary: 'Import a CSV file (multipart, field "file"), streamed',
      tag: 'Imports',
      query: Type.Object({ segment_id: Type.Optional(Type.String()) }),
      multipart: Type.Object({ file: Type.String({ format: 'binary' }) }),
      responses: {
        200: {
          description: 'The counts and the job',
          schema: Type.Object({ imported: Type.Integer(), updated: Type.Integer(), errors: Type.Integer(), job_id: Type.String() }),
        },
      },
      errors: [400, 401, 404, 413, 422, 429],
      handler: importRoute(db, config, imports),
    },
    {
      kind: 'raw',
      method: 'GET',
      path: '/contacts/export',
      operationId: 'exportContacts',
      summary: 'Every contact (or a segment’s) as a streamed CSV',
      tag: 'Imports',
      query: Type.Object({ segment_id: Type.Optional(Type.String()) }),
      responses: { 200: { description: 'The CSV', schema: Type.String(), contentType: 'text/csv' } },
      errors: [401, 404],
      handler: exportRoute(db),
    },
    ...importJobRoutes,
    ...eventRoutes(config.eventRetentionDays),
    // Webhooks (issue 17, EVENTS.md): the /webhooks routes go here, as jsonRoute()s
    // in ./webhooks.ts (event bodies: core/events, REST JSON: core/json.ts).
  ];
}
