// Webhooks in the schema (contract-events.graphql): WebhookEndpoint and WebhookDelivery, the
// webhookEndpoint(s) queries and the endpoint mutations. Bad input never throws: it answers
// userErrors and a null endpoint, and leaves what is stored as it was.
import type { Outcome, UserError } from '../core/user-error.js';
import {
  createEndpoint,
  DELIVERY_STATUSES,
  type Delivery,
  deleteEndpoint,
  deliveryCount,
  deliveryPage,
  deliveryPosition,
  endpointCount,
  endpointPage,
  endpointPosition,
  type EndpointWithSecret,
  findDelivery,
  findEndpoint,
  redeliver,
  rotateSecret,
  updateEndpoint,
  type WebhookEndpoint,
} from '../core/webhooks/service.js';
import { builder } from './builder.js';
import { connectionType, pagingArgs } from './connection-type.js';
import { checkPageSize, keysetConnection } from './connection.js';
import { EventRef, EventTypeEnum } from './events.js';
import { connectionComplexity } from './limits.js';
import { UserErrorRef } from './user-error.js';

export const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', { values: DELIVERY_STATUSES });

export const WebhookDeliveryRef = builder.node(builder.objectRef<Delivery>('WebhookDelivery'), {
  description: "One event's delivery to one endpoint, with its attempts so far. IDs are prefixed whd_.",
  id: { resolve: (delivery) => delivery.id },
  loadOne: (id, ctx) => findDelivery(ctx.db, ctx.accountId, id),
  fields: (t) => ({
    event: t.field({ type: EventRef, resolve: (delivery) => delivery.event }),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    attempts: t.exposeInt('attempts'),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    lastResponseBody: t.exposeString('lastResponseBody', { nullable: true, description: 'The first 1 KB of the last answer.' }),
    lastDurationMs: t.exposeInt('lastDurationMs', { nullable: true, description: 'How long the last attempt took.' }),
  }),
});

const WebhookDeliveryConnection = connectionType<Delivery>('WebhookDelivery', WebhookDeliveryRef);

export const WebhookEndpointRef = builder.node(builder.objectRef<WebhookEndpoint>('WebhookEndpoint'), {
  description: "A URL that receives the account's events. IDs are prefixed whk_.",
  id: { resolve: (endpoint) => endpoint.id },
  loadOne: (id, ctx) => findEndpoint(ctx.db, ctx.accountId, id),
  fields: (t) => ({
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    eventTypes: t.field({
      type: [EventTypeEnum],
      description: 'The types it receives; empty means every type.',
      resolve: (endpoint) => endpoint.eventTypes as never[],
    }),
    enabled: t.exposeBoolean('enabled'),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: 'Why the service disabled it (every delivery attempt failed for 5 days); null otherwise.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deliveries: t.field({
      type: WebhookDeliveryConnection,
      description: 'Its deliveries, newest first.',
      complexity: connectionComplexity,
      args: { first: t.arg.int(), after: t.arg.string(), status: t.arg({ type: WebhookDeliveryStatusEnum }) },
      resolve: (endpoint, args, ctx) =>
        keysetConnection<Delivery>({
          args: { first: args.first, after: args.after },
          positionOf: deliveryPosition,
          load: (window) => deliveryPage(ctx.db, endpoint.id, args.status ?? null, window),
          totalCount: () => deliveryCount(ctx.db, endpoint.id, args.status ?? null),
        }),
    }),
  }),
});

const WebhookEndpointConnection = connectionType<WebhookEndpoint>('WebhookEndpoint', WebhookEndpointRef);

builder.queryField('webhookEndpoint', (t) =>
  t.field({
    type: WebhookEndpointRef,
    nullable: true,
    description: 'The webhook endpoint with this id; null when there is none in this account.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => findEndpoint(ctx.db, ctx.accountId, id),
  }),
);

builder.queryField('webhookEndpoints', (t) =>
  t.field({
    type: WebhookEndpointConnection,
    description: "The account's webhook endpoints, newest first.",
    complexity: connectionComplexity,
    args: { first: pagingArgs.first, after: pagingArgs.after },
    resolve: (_root, args, ctx) => {
      checkPageSize('first', args.first);
      return keysetConnection<WebhookEndpoint>({
        args,
        positionOf: endpointPosition,
        load: (window) => endpointPage(ctx.db, ctx.accountId, window),
        totalCount: () => endpointCount(ctx.db, ctx.accountId),
      });
    },
  }),
);

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'http or https, on a public address.' }),
    description: t.string(),
    eventTypes: t.field({ type: [EventTypeEnum], description: 'Empty or absent: every type.' }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    url: t.string(),
    description: t.string(),
    eventTypes: t.field({ type: [EventTypeEnum] }),
    enabled: t.boolean(),
  }),
});

const DeleteWebhookEndpointInput = builder.inputType('DeleteWebhookEndpointInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const RotateWebhookSecretInput = builder.inputType('RotateWebhookSecretInput', { fields: (t) => ({ id: t.id({ required: true }) }) });
const RedeliverWebhookEventsInput = builder.inputType('RedeliverWebhookEventsInput', {
  fields: (t) => ({
    endpointId: t.id({ required: true }),
    since: t.field({ type: 'DateTime', required: true }),
    onlyFailed: t.boolean(),
  }),
});

interface EndpointPayload {
  webhookEndpoint: WebhookEndpoint | null;
  secret?: string | null;
  userErrors: UserError[];
}

function endpointPayload(name: string, withSecret: boolean) {
  return builder.objectRef<EndpointPayload>(name).implement({
    fields: (t) => ({
      webhookEndpoint: t.field({ type: WebhookEndpointRef, nullable: true, resolve: (payload) => payload.webhookEndpoint }),
      ...(withSecret && {
        secret: t.string({
          nullable: true,
          description: 'The signing secret (whsec_…), shown only in this answer.',
          resolve: (payload) => payload.secret ?? null,
        }),
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
    }),
  });
}

const withSecret = (outcome: Outcome<EndpointWithSecret>): EndpointPayload =>
  outcome.ok
    ? { webhookEndpoint: outcome.value.endpoint, secret: outcome.value.secret, userErrors: [] }
    : { webhookEndpoint: null, secret: null, userErrors: outcome.errors };

builder.mutationField('createWebhookEndpoint', (t) =>
  t.field({
    type: endpointPayload('CreateWebhookEndpointPayload', true),
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      withSecret(await createEndpoint(ctx.db, ctx.accountId, input, ctx.webhooks.allowPrivateNetworks)),
  }),
);

builder.mutationField('updateWebhookEndpoint', (t) =>
  t.field({
    type: endpointPayload('UpdateWebhookEndpointPayload', false),
    description: 'Changes only the fields given. Enabling an endpoint the service disabled clears its reason.',
    args: { input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    resolve: async (_root, { input: { id, ...fields } }, ctx) => {
      const outcome = await updateEndpoint(ctx.db, ctx.accountId, id, fields, ctx.webhooks.allowPrivateNetworks);
      return outcome.ok ? { webhookEndpoint: outcome.value, userErrors: [] } : { webhookEndpoint: null, userErrors: outcome.errors };
    },
  }),
);

builder.mutationField('deleteWebhookEndpoint', (t) =>
  t.field({
    type: builder
      .objectRef<{ deletedWebhookEndpointId: string | null; userErrors: UserError[] }>('DeleteWebhookEndpointPayload')
      .implement({
        fields: (f) => ({
          deletedWebhookEndpointId: f.exposeID('deletedWebhookEndpointId', { nullable: true }),
          userErrors: f.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
        }),
      }),
    description: 'Removes the endpoint and its deliveries.',
    args: { input: t.arg({ type: DeleteWebhookEndpointInput, required: true }) },
    resolve: async (_root, { input: { id } }, ctx) => {
      const deleted = await deleteEndpoint(ctx.db, ctx.accountId, id);
      return deleted.ok
        ? { deletedWebhookEndpointId: deleted.value, userErrors: [] }
        : { deletedWebhookEndpointId: null, userErrors: deleted.errors };
    },
  }),
);

builder.mutationField('rotateWebhookSecret', (t) =>
  t.field({
    type: endpointPayload('RotateWebhookSecretPayload', true),
    description: 'A new signing secret, shown once: it signs from the next attempt on, and the old one stops at once.',
    args: { input: t.arg({ type: RotateWebhookSecretInput, required: true }) },
    resolve: async (_root, { input: { id } }, ctx) => withSecret(await rotateSecret(ctx.db, ctx.accountId, id)),
  }),
);

builder.mutationField('redeliverWebhookEvents', (t) =>
  t.field({
    type: builder.objectRef<{ queued: number; userErrors: UserError[] }>('RedeliverWebhookEventsPayload').implement({
      fields: (f) => ({
        queued: f.exposeInt('queued'),
        userErrors: f.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
      }),
    }),
    description: "Queues again this endpoint's deliveries of events created at or after since (only the FAILED ones with onlyFailed).",
    args: { input: t.arg({ type: RedeliverWebhookEventsInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const outcome = await redeliver(ctx.db, ctx.accountId, input);
      return outcome.ok ? { queued: outcome.value, userErrors: [] } : { queued: 0, userErrors: outcome.errors };
    },
  }),
);
