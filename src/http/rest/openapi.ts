// The OpenAPI 3.1 document of the REST routes, built from their definitions (never written beside them).
import type { TObject } from '@sinclair/typebox';
import { ErrorSchema } from './schemas.js';
import type { Route } from './route.js';

const STATUS_TEXT: Record<number, string> = {
  400: 'BAD_REQUEST: malformed JSON, a body that is not an object, a bad query parameter',
  401: 'UNAUTHENTICATED: no key, or an unknown or revoked one',
  404: 'NOT_FOUND: an unknown or foreign id',
  409: 'TAKEN: the email belongs to another contact',
  413: 'PAYLOAD_TOO_LARGE: a body over MAX_JSON_BODY_BYTES (or an upload over MAX_UPLOAD_BYTES)',
  415: 'UNSUPPORTED_MEDIA_TYPE: a JSON route sent something else',
  422: 'A value breaks a rule (INVALID, TOO_LONG, LIMIT_EXCEEDED, NOT_ALLOWED, NOT_FOUND inside the body)',
  429: 'TOO_MANY_IMPORTS: too many imports at once',
  503: 'SERVICE_UNAVAILABLE: the database is away; retry after Retry-After',
};

function parameters(where: 'path' | 'query', schema: TObject | undefined) {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: where,
    // A query parameter with a default (page, per_page) may be left out: the default fills it.
    required: where === 'path' || (required.has(name) && !('default' in property)),
    schema: property,
  }));
}

export function openApiDocument(routes: readonly Route[]): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, answer] of Object.entries(route.responses)) {
      responses[status] = {
        description: answer.description,
        ...(answer.schema && { content: { [answer.contentType ?? 'application/json']: { schema: answer.schema } } }),
      };
    }
    for (const status of [...route.errors, 503]) {
      responses[status] = {
        description: STATUS_TEXT[status],
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
      };
    }
    const body =
      route.kind === 'json' && route.body
        ? { required: true, content: { 'application/json': { schema: route.body } } }
        : route.kind === 'raw' && route.multipart
          ? { required: true, content: { 'multipart/form-data': { schema: route.multipart } } }
          : undefined;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: [...parameters('path', route.params), ...parameters('query', route.query)],
      ...(body && { requestBody: body }),
      responses,
    };
  }
  // Through JSON: TypeBox's symbol keys go, the plain JSON Schema stays.
  return JSON.parse(
    JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'Contacts REST API', version: '1.0.0', description: 'The REST door to the contacts service (REST.md).' },
      // Relative: wherever the document is served from (so /docs tries calls on its own service).
      servers: [{ url: '/', description: 'This service' }],
      security: [{ bearer: [] }],
      paths,
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        schemas: { Errors: ErrorSchema },
      },
    }),
  );
}
