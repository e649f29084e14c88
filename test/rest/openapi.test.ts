// REST.md, The API description: GET /openapi.json (no key) lists exactly the routes of REST.md (and EVENTS.md's),
// and every route it lists is answered by the server (not the unknown-route 404, not a 405).
import { describe, expect, it } from 'vitest';
import { useService } from '../support/service.js';
import { rest } from './helpers.js';

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
  'POST /segments',
  'GET /segments',
  'GET /segments/{id}',
  'PATCH /segments/{id}',
  'DELETE /segments/{id}',
  'GET /segments/{id}/contacts',
  'POST /segments/{id}/contacts',
  'DELETE /segments/{id}/contacts',
  // EVENTS.md's REST routes (the /webhooks ones come with the webhooks)
  'GET /events',
];

describe('openapi.json', () => {
  const service = useService('pglite');

  it('is an OpenAPI 3.1 document served without a key, listing the routes of REST.md', async () => {
    const answer = await rest(service().url, null, 'GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    const listed = Object.entries(answer.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // GET /contacts/imports/{job_id} of REST.md is not built yet (see the README).
    expect(listed.sort()).toEqual([...REST_MD_ROUTES].sort());
  });

  it('every route it lists is answered', async () => {
    const { apiKey } = await service().account();
    const { body } = await rest(service().url, null, 'GET', '/openapi.json');
    for (const route of REST_MD_ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const concrete = path.replace('{id_or_email}', 'ct_zzzzzzzzzzzzzzzzzzzz').replace('{id}', 'seg_zzzzzzzzzzzzzzzzzzzz');
      expect(body.paths[path][method.toLowerCase()].responses).toBeDefined();
      const answer = await rest(service().url, apiKey, method, concrete, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      expect({ route, status: answer.status }).not.toEqual({ route, status: 405 });
      expect(answer.text, route).not.toMatch(/no route/);
    }
  });
});
