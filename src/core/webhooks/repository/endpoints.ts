// The SQL of webhook endpoints and of reading and re-queueing their deliveries. Always within
// the account: another account's id is treated exactly like one that does not exist.
import type { PrismaClient } from '../../../db/generated/prisma/client.js';
import type { KeysetWindow } from '../../../db/keyset.js';
import { isIdOf, newId } from '../../ids.js';
import type { Delivery, DeliveryStatus, WebhookEndpoint } from '../endpoint.js';

/** Every column but the secret. */
const PUBLIC = {
  id: true,
  accountId: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  disabledReason: true,
  failingSince: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface EndpointFields {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  enabled?: boolean;
}

export function insertEndpoint(
  prisma: PrismaClient,
  accountId: string,
  fields: Required<Pick<EndpointFields, 'url' | 'eventTypes'>> & EndpointFields,
  secret: string,
): Promise<WebhookEndpoint> {
  return prisma.webhookEndpoint.create({
    data: {
      id: newId('webhookEndpoint'),
      accountId,
      url: fields.url,
      description: fields.description ?? null,
      eventTypes: fields.eventTypes,
      secret,
    },
    select: PUBLIC,
  });
}

export function findEndpoint(prisma: PrismaClient, accountId: string, id: string): Promise<WebhookEndpoint | null> {
  return isIdOf('webhookEndpoint', id)
    ? prisma.webhookEndpoint.findFirst({ where: { id, accountId }, select: PUBLIC })
    : Promise.resolve(null);
}

/**
 * Changes the fields given; enabling or disabling clears the reason and the failing streak of an
 * automatic disable. A disabled endpoint's PENDING deliveries wait with no next attempt (so the
 * workers' scan of due deliveries never wades through them); enabling makes them due at once.
 */
export async function updateEndpointRow(prisma: PrismaClient, id: string, fields: EndpointFields): Promise<WebhookEndpoint> {
  const update = prisma.webhookEndpoint.update({
    where: { id },
    data: {
      ...fields,
      ...(fields.enabled !== undefined && { disabledReason: null, failingSince: null }),
    },
    select: PUBLIC,
  });
  if (fields.enabled === undefined) return update;
  const [endpoint] = await prisma.$transaction([
    update,
    fields.enabled
      ? prisma.$executeRaw`UPDATE webhook_deliveries SET next_attempt_at = now()
          WHERE endpoint_id = ${id} AND status = 'PENDING' AND next_attempt_at IS NULL`
      : prisma.$executeRaw`UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE endpoint_id = ${id} AND status = 'PENDING'`,
  ]);
  return endpoint;
}

export function setSecret(prisma: PrismaClient, id: string, secret: string): Promise<WebhookEndpoint> {
  return prisma.webhookEndpoint.update({ where: { id }, data: { secret }, select: PUBLIC });
}

/** Whether the account had the endpoint (its deliveries go with it). */
export async function deleteEndpointRow(prisma: PrismaClient, accountId: string, id: string): Promise<boolean> {
  if (!isIdOf('webhookEndpoint', id)) return false;
  const { count } = await prisma.webhookEndpoint.deleteMany({ where: { id, accountId } });
  return count > 0;
}

export function countEndpoints(prisma: PrismaClient, accountId: string): Promise<number> {
  return prisma.webhookEndpoint.count({ where: { accountId } });
}

/** Newest first: the condition of rows after (or before) a keyset position. */
function keysetWhere(window: KeysetWindow) {
  const beyond = (operator: 'lt' | 'gt', [value, id]: readonly [string, string]) => ({
    OR: [{ createdAt: { [operator]: new Date(value) } }, { createdAt: new Date(value), id: { [operator]: id } }],
  });
  return [...(window.after ? [beyond('lt', window.after)] : []), ...(window.before ? [beyond('gt', window.before)] : [])];
}

function keysetOrder(window: KeysetWindow) {
  const direction = window.inverted ? ('asc' as const) : ('desc' as const);
  return [{ createdAt: direction }, { id: direction }];
}

export function listEndpoints(prisma: PrismaClient, accountId: string, window: KeysetWindow): Promise<WebhookEndpoint[]> {
  return prisma.webhookEndpoint.findMany({
    where: { accountId, AND: keysetWhere(window) },
    orderBy: keysetOrder(window),
    take: window.limit,
    select: PUBLIC,
  });
}

export function listDeliveries(
  prisma: PrismaClient,
  endpointId: string,
  status: DeliveryStatus | null,
  window: KeysetWindow,
): Promise<Delivery[]> {
  return prisma.webhookDelivery.findMany({
    where: { endpointId, ...(status && { status }), AND: keysetWhere(window) },
    orderBy: keysetOrder(window),
    take: window.limit,
    omit: { leaseExpiresAt: true, leaseToken: true },
    include: { event: true },
  }) as Promise<Delivery[]>;
}

/**
 * Queues again the endpoint's deliveries of events created at or after `since` (only FAILED
 * ones with onlyFailed), each with a whole new schedule of attempts. An attempt in flight keeps
 * its lease, so no second attempt starts beside it, but loses its token: its outcome is not
 * recorded, and the delivery is made again once the lease has run out. Answers how many.
 */
export function requeueDeliveries(prisma: PrismaClient, endpointId: string, since: Date, onlyFailed: boolean): Promise<number> {
  return prisma.$executeRaw`
    UPDATE webhook_deliveries d
    SET status = 'PENDING', attempts = 0, next_attempt_at = CASE WHEN w.enabled THEN now() END, lease_token = NULL
    FROM events e, webhook_endpoints w
    WHERE d.endpoint_id = ${endpointId} AND w.id = d.endpoint_id AND e.id = d.event_id AND e.created_at >= ${since}
      AND (NOT ${onlyFailed}::boolean OR d.status = 'FAILED')`;
}

/** The account's delivery with this id (through its endpoint), or null. */
export function findDelivery(prisma: PrismaClient, accountId: string, id: string): Promise<Delivery | null> {
  if (!isIdOf('webhookDelivery', id)) return Promise.resolve(null);
  return prisma.webhookDelivery.findFirst({
    where: { id, endpoint: { accountId } },
    omit: { leaseExpiresAt: true, leaseToken: true },
    include: { event: true },
  }) as Promise<Delivery | null>;
}

export function countDeliveries(prisma: PrismaClient, endpointId: string, status: DeliveryStatus | null): Promise<number> {
  return prisma.webhookDelivery.count({ where: { endpointId, ...(status && { status }) } });
}
