// What the surfaces see of an endpoint and a delivery: the rows less the secret and the claim.
import type { WebhookDelivery, WebhookEndpoint as EndpointRow } from '../../db/generated/prisma/client.js';
import type { EventView } from '../events/service.js';

export type WebhookEndpoint = Omit<EndpointRow, 'secret'>;

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type Delivery = Omit<WebhookDelivery, 'leaseExpiresAt' | 'leaseToken' | 'status'> & { status: DeliveryStatus; event: EventView };
