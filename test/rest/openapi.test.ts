// REST.md, The API description: GET /openapi.json (no key) passes a real OpenAPI 3.1 validator
// (@readme/openapi-parser); it lists exactly the routes of REST.md (and EVENTS.md's) and exactly the router's own
// route table (the list restRoutes() hands the router, the streamed import and export included);
// and a walk of it calls every path and method it lists with real ids and its own request
// examples, each answered with a documented 2xx whose body its response schema accepts.
import { compileErrors, validate } from '@readme/openapi-parser';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ImportRuntime } from '../../src/core/imports/import-runtime.js';
import { restRoutes } from '../../src/http/rest/index.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { type TestService, useService } from '../support/service.js';
import { postCsv } from '../import/helpers.js';
import { rest } from './helpers.js';

/** A public address by number: a webhook URL that needs no DNS lookup. */
const PUBLIC_HOOK = 'http://93.184.215.14/hooks/contacts';

const REST_MD_ROUTES = [
  'POST /contacts',
  'GET /contacts',
  'GET /contacts/{id_or_email}',
  'PATCH /contacts/{id_or_email}',
  'DELETE /contacts/{id_or_email}',
  'POST /contacts/{id_or_email}/unsubscribe',
  'POST /contacts/{id_or_email}/resubscribe',
  'GET /contacts/{id_or_email}/segments',
  'POST /contacts/import',
  'GET /contacts/export',
  'GET /contacts/imports/{job_id}',
  'POST /segments',
  'GET /segments',
  'GET /segments/{id}',
  'PATCH /segments/{id}',
  'DELETE /segments/{id}',
  'GET /segments/{id}/contacts',
  'POST /segments/{id}/contacts',
  'DELETE /segments/{id}/contacts',
  // EVENTS.md, REST routes.
  'GET /events',
  'POST /webhooks',
  'GET /webhooks',
  'GET /webhooks/{id}',
  'PATCH /webhooks/{id}',
  'DELETE /webhooks/{id}',
  'POST /webhooks/{id}/rotate-secret',
  'GET /webhooks/{id}/deliveries',
  'POST /webhooks/{id}/redeliver',
];

interface Operation {
  operationId: string;
  requestBody?: { content: Record<string, { schema: { examples?: unknown[] } }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

const listed = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));

/** The routes the server's REST router is built from, as the server builds them. */
function routerTable(service: TestService): string[] {
  const { db } = service.service;
  return restRoutes(service.config, new ImportRuntime(db, service.config.imports)).map((route) => `${route.method} ${route.path}`);
}

// Response bodies against the document's own schemas (formats are the validator's business).
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });

describe('openapi.json, the document', () => {
  const service = useService('pglite');

  it('is served without a key and is a valid OpenAPI 3.1 document', async () => {
    const answer = await rest(service().url, null, 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.body.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(answer.body));
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.specification).toBe('OpenAPI');
    expect(result.warnings).toEqual([]);
  });

  it('a broken document fails the same validator (it does validate)', async () => {
    const { body } = await rest(service().url, null, 'GET', '/openapi.json');
    const broken = structuredClone(body);
    broken.paths['/contacts'].get.responses = 'none';
    expect((await validate(broken)).valid).toBe(false);
  });

  it("lists exactly REST.md's routes and exactly the router's route table", async () => {
    const { body } = await rest(service().url, null, 'GET', '/openapi.json');
    expect(listed(body).sort()).toEqual([...REST_MD_ROUTES].sort());
    expect(routerTable(service()).sort()).toEqual(listed(body).sort());
    // Nothing beside the table is the router's: a path it does not list is its unknown-route 404.
    const { apiKey } = await service().account();
    const unknown = await rest(service().url, apiKey, 'GET', '/contacts/ct_zzzzzzzzzzzzzzzzzzzz/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].message).toMatch(/^no route/);
  });
});

describe.each(DATABASE_KINDS)('openapi.json, walked on %s', (kind) => {
  const service = useService(kind);

  it('every path and method it lists is answered with a documented 2xx matching its schema', async () => {
    const { body } = await rest(service().url, null, 'GET', '/openapi.json');
    const document = body as Document;
    for (const route of listed(document)) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = document.paths[path]![method.toLowerCase()]!;

      // A fresh account per call, holding one of each thing a path names.
      const account = await service().account();
      const call = (m: string, p: string, b?: unknown) => rest(service().url, account.apiKey, m, p, b === undefined ? {} : { body: b });
      const contact = await call('POST', '/contacts', { email: 'walk@example.com' });
      const segment = await call('POST', '/segments', { name: 'Walk', type: 'static' });
      await call('POST', `/segments/${segment.body.id}/contacts`, { contact_ids: [contact.body.id] });
      const job = await postCsv(service(), account.apiKey, 'email\nwalked@example.com\n');
      // A webhook on a public address that needs no DNS, disabled so that no event of the walk is sent to it.
      const webhook = await call('POST', '/webhooks', { url: PUBLIC_HOOK });
      await call('PATCH', `/webhooks/${webhook.body.webhook.id}`, { enabled: false });
      // Each parameter by the path it is in: a new route with a parameter of its own (an event's,
      // a webhook's id) needs a thing of its kind made above and a line here.
      const values: [RegExp, string][] = [
        [/^\/contacts\/\{id_or_email\}/, contact.body.id],
        [/^\/contacts\/imports\/\{job_id\}/, job.body.job_id],
        [/^\/segments\/\{id\}/, segment.body.id],
        [/^\/webhooks\/\{id\}/, webhook.body.webhook.id],
      ];
      const concrete = values.reduce((at, [pattern, value]) => (pattern.test(path) ? at.replace(/\{\w+\}/, value) : at), path);
      expect(concrete, `${route}: a parameter the walk has no value for`).not.toMatch(/[{}]/);

      let answer;
      const content = operation.requestBody?.content ?? {};
      if (content['multipart/form-data']) {
        answer = await postCsv(service(), account.apiKey, 'email\nnew@example.com\n');
      } else if (content['application/json']) {
        // The document's own example of the body, naming this account's contact.
        const example = JSON.stringify(content['application/json'].schema.examples?.[0] ?? {})
          .replaceAll('ct_abc123def456ghi789jk', contact.body.id as string)
          // The example's host would need DNS, which a test does not count on.
          .replaceAll('https://example.com/hooks/contacts', PUBLIC_HOOK);
        answer = await rest(service().url, account.apiKey, method, concrete, { raw: example, contentType: 'application/json' });
      } else {
        answer = await rest(service().url, account.apiKey, method, concrete);
      }
      const status = String(answer.status);
      expect({ route, status }).toEqual({ route, status: expect.stringMatching(/^2\d\d$/) });
      expect(Object.keys(operation.responses), route).toContain(status);
      const documented = operation.responses[status]!.content ?? {};
      if (documented['application/json']) {
        const check = ajv.compile(documented['application/json'].schema as object);
        expect(check(answer.body), `${route}: ${ajv.errorsText(check.errors)}`).toBe(true);
      } else if (documented['text/csv']) {
        const csv = await fetch(`${service().url}${concrete}`, { headers: { authorization: `Bearer ${account.apiKey}` } });
        expect(csv.headers.get('content-type'), route).toMatch(/^text\/csv/);
        expect(await csv.text()).toMatch(/walk@example\.com/);
      }
    }
  });
});
