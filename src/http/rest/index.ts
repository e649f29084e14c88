// Every REST route, in the order openapi.json lists them. The streamed import and export keep
// their own reading of the request (src/http/import-route.ts, export-route.ts) as raw routes: the
// router authenticates them and checks their query like every other.
import { Type } from '@sinclair/typebox';
import type { Config } from '../../config.js';
import type { ImportRuntime } from '../../core/imports/import-runtime.js';
import { exportRoute } from '../export-route.js';
import { importRoute } from '../import-route.js';
import { contactRoutes } from './contacts.js';
import { importJobRoutes } from './imports.js';
import { segmentRoutes } from './segments.js';
import { eventRoutes } from './events.js';
import { webhookRoutes } from './webhooks.js';
import type { Route } from './route.js';

const SegmentIdQuery = (description: string) => Type.String({ minLength: 1, description, examples: ['seg_abc123def456ghi789'] });

export function restRoutes(config: Config, imports: ImportRuntime): Route[] {
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
      query: Type.Object({ segment_id: Type.Optional(SegmentIdQuery('Add every imported or updated contact to this STATIC segment')) }),
      multipart: Type.Object({ file: Type.String({ format: 'binary' }) }),
      responses: {
        200: {
          description: 'The counts and the job',
          schema: Type.Object({ imported: Type.Integer(), updated: Type.Integer(), errors: Type.Integer(), job_id: Type.String() }),
        },
      },
      errors: [400, 401, 404, 413, 415, 422, 429],
      handler: importRoute(config, imports),
    },
    {
      kind: 'raw',
      method: 'GET',
      path: '/contacts/export',
      operationId: 'exportContacts',
      summary: 'Every contact (or a segment’s) as a streamed CSV',
      tag: 'Imports',
      query: Type.Object({ segment_id: Type.Optional(SegmentIdQuery('Only the members of this segment (static or dynamic)')) }),
      responses: { 200: { description: 'The CSV', schema: Type.String(), contentType: 'text/csv' } },
      errors: [400, 401, 404],
      handler: exportRoute(),
    },
    ...importJobRoutes,
    ...eventRoutes(config.eventRetentionDays),
    ...webhookRoutes(config.webhooks),
  ];
}
