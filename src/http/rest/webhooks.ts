// The webhook routes of EVENTS.md, on the same webhook services as the GraphQL mutations and queries.
import type { Position } from '../../db/keyset.js';
import type { UserError } from '../../core/user-error.js';
import {
  createEndpoint,
  deleteEndpoint,
  type DeliveryStatus,
  deliveryPage,
  deliveryPosition,
  endpointPage,
  findEndpoint,
  MAX_ENDPOINTS,
  redeliver,
  rotateSecret,
  updateEndpoint,
  type WebhookEndpoint,
} from '../../core/webhooks/service.js';
import type { WebhookSettings } from '../../core/webhooks/settings.js';
import type { Database } from '../../db/database.js';
import { RestError, userErrorsAnswer } from './errors.js';
import { deliveryJson, webhookJson } from '../../core/json.js';
import { jsonRoute, type Route } from './route.js';
import {
  CreateWebhookBody,
  DeletedSchema,
  DeliveryListQuery,
  DeliveryPageSchema,
  QueuedSchema,
  RedeliverBody,
  UpdateWebhookBody,
  WebhookIdParams,
  WebhookListSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './schemas.js';

export function webhookNotFound(id: string): RestError {
  return RestError.one(404, 'NOT_FOUND', `there is no webhook ${id} in this account`);
}

async function endpointOf(db: Database, accountId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = await findEndpoint(db, accountId, id);
  if (!endpoint) throw webhookNotFound(id);
  return endpoint;
}

/** The core's refusals: the endpoint itself missing is the route's 404, the rest 422 at their snake_case field. */
function refusal(id: string, errors: readonly UserError[]): RestError {
  if (errors.some((error) => error.code === 'NOT_FOUND' && (error.path?.[0] === 'id' || error.path?.[0] === 'endpointId'))) {
    return webhookNotFound(id);
  }
  return userErrorsAnswer(errors);
}

const cursorOf = (position: Position) => Buffer.from(JSON.stringify(position)).toString('base64url');

function positionOf(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string'))
      return [value[0] as string, value[1] as string];
  } catch {
    // the error below
  }
  throw RestError.one(400, 'BAD_REQUEST', 'after is not a cursor this list gave out', ['query', 'after']);
}

export function webhookRoutes(settings: WebhookSettings): Route[] {
  return [
    jsonRoute({
      method: 'POST',
      path: '/webhooks',
      operationId: 'createWebhook',
      summary: 'Register a webhook endpoint; the answer shows its signing secret, once',
      tag: 'Webhooks',
      body: CreateWebhookBody,
      responses: { 201: { description: 'The endpoint and its secret', schema: WebhookWithSecretSchema } },
      errors: [400, 401, 413, 415, 422],
      handler: async ({ db, accountId, body }) => {
        const outcome = await createEndpoint(
          db,
          accountId,
          { url: body.url, description: body.description, eventTypes: body.event_types },
          settings.allowPrivateNetworks,
        );
        if (!outcome.ok) throw userErrorsAnswer(outcome.errors);
        return { status: 201, body: { webhook: webhookJson(outcome.value.endpoint), secret: outcome.value.secret } };
      },
    }),
    jsonRoute({
      method: 'GET',
      path: '/webhooks',
      operationId: 'listWebhooks',
      summary: `The account's webhook endpoints, newest first (at most ${MAX_ENDPOINTS})`,
      tag: 'Webhooks',
      responses: { 200: { description: 'The endpoints', schema: WebhookListSchema } },
      errors: [401],
      handler: async ({ db, accountId }) => ({
        status: 200,
        body: { webhooks: (await endpointPage(db, accountId, { limit: MAX_ENDPOINTS })).map(webhookJson) },
      }),
    }),
    jsonRoute({
      method: 'GET',
      path: '/webhooks/{id}',
      operationId: 'getWebhook',
      summary: 'A webhook endpoint',
      tag: 'Webhooks',
      params: WebhookIdParams,
      responses: { 200: { description: 'The endpoint', schema: WebhookSchema } },
      errors: [401, 404],
      handler: async ({ db, accountId, params }) => ({ status: 200, body: webhookJson(await endpointOf(db, accountId, params.id)) }),
    }),
    jsonRoute({
      method: 'PATCH',
      path: '/webhooks/{id}',
      operationId: 'updateWebhook',
      summary: "Change an endpoint's url, event types, description or enabled",
      tag: 'Webhooks',
      params: WebhookIdParams,
      body: UpdateWebhookBody,
      responses: { 200: { description: 'The endpoint', schema: WebhookSchema } },
      errors: [400, 401, 404, 413, 415, 422],
      handler: async ({ db, accountId, params, body }) => {
        await endpointOf(db, accountId, params.id);
        const outcome = await updateEndpoint(
          db,
          accountId,
          params.id,
          {
            ...('url' in body && { url: body.url }),
            ...('description' in body && { description: body.description }),
            ...('event_types' in body && { eventTypes: body.event_types }),
            ...('enabled' in body && { enabled: body.enabled }),
          },
          settings.allowPrivateNetworks,
        );
        if (!outcome.ok) throw refusal(params.id, outcome.errors);
        return { status: 200, body: webhookJson(outcome.value) };
      },
    }),
    jsonRoute({
      method: 'DELETE',
      path: '/webhooks/{id}',
      operationId: 'deleteWebhook',
      summary: 'Delete a webhook endpoint and its deliveries',
      tag: 'Webhooks',
      params: WebhookIdParams,
      responses: { 200: { description: 'Deleted', schema: DeletedSchema } },
      errors: [401, 404],
      handler: async ({ db, accountId, params }) => {
        const outcome = await deleteEndpoint(db, accountId, params.id);
        if (!outcome.ok) throw webhookNotFound(params.id);
        return { status: 200, body: { id: outcome.value, deleted: true } };
      },
    }),
    jsonRoute({
      method: 'POST',
      path: '/webhooks/{id}/rotate-secret',
      operationId: 'rotateWebhookSecret',
      summary: 'A new signing secret, shown once; it signs from the next attempt on',
      tag: 'Webhooks',
      params: WebhookIdParams,
      responses: { 200: { description: 'The endpoint and its new secret', schema: WebhookWithSecretSchema } },
      errors: [401, 404],
      handler: async ({ db, accountId, params }) => {
        const outcome = await rotateSecret(db, accountId, params.id);
        if (!outcome.ok) throw refusal(params.id, outcome.errors);
        return { status: 200, body: { webhook: webhookJson(outcome.value.endpoint), secret: outcome.value.secret } };
      },
    }),
    jsonRoute({
      method: 'GET',
      path: '/webhooks/{id}/deliveries',
      operationId: 'webhookDeliveries',
      summary: "A page of the endpoint's deliveries, newest first, with their last attempt",
      tag: 'Webhooks',
      params: WebhookIdParams,
      query: DeliveryListQuery,
      responses: { 200: { description: 'A page and the cursor of the next', schema: DeliveryPageSchema } },
      errors: [400, 401, 404],
      handler: async ({ db, accountId, params, query }) => {
        const endpoint = await endpointOf(db, accountId, params.id);
        const after = query.after ? positionOf(query.after) : null;
        const status = query.status ? (query.status.toUpperCase() as DeliveryStatus) : null;
        const rows = await deliveryPage(db, endpoint.id, status, { after, limit: query.limit + 1 });
        const page = rows.slice(0, query.limit);
        return {
          status: 200,
          body: {
            deliveries: page.map(deliveryJson),
            next_cursor: rows.length > query.limit ? cursorOf(deliveryPosition(page.at(-1)!)) : null,
          },
        };
      },
    }),
    jsonRoute({
      method: 'POST',
      path: '/webhooks/{id}/redeliver',
      operationId: 'redeliverWebhookEvents',
      summary: "Queue again the endpoint's deliveries of events created at or after since (only failed ones with only_failed)",
      tag: 'Webhooks',
      params: WebhookIdParams,
      body: RedeliverBody,
      responses: { 200: { description: 'How many were queued', schema: QueuedSchema } },
      errors: [400, 401, 404, 413, 415, 422],
      handler: async ({ db, accountId, params, body }) => {
        await endpointOf(db, accountId, params.id);
        const since = new Date(body.since);
        if (Number.isNaN(since.getTime()) || !/^\d{4}-\d\d-\d\dT/.test(body.since)) {
          throw RestError.one(422, 'INVALID', 'since must be an ISO-8601 date-time', ['since']);
        }
        const outcome = await redeliver(db, accountId, { endpointId: params.id, since, onlyFailed: body.only_failed });
        if (!outcome.ok) throw refusal(params.id, outcome.errors);
        return { status: 200, body: { queued: outcome.value } };
      },
    }),
  ];
}
