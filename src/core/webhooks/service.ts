// What can be done to an account's webhook endpoints, in domain values (EVENTS.md, Webhooks):
// checked fields in, an endpoint (and, when made or rotated, its secret, shown once) or user
// errors out. Deliveries are made by the worker (worker.ts); they are read and queued again here.
import type { Database } from '../../db/database.js';
import type { KeysetWindow, Position } from '../../db/keyset.js';
import { type ErrorPath, type Outcome, type UserError, userError } from '../user-error.js';
import { resolveTarget, urlProblem } from './address.js';
import type { Delivery, DeliveryStatus, WebhookEndpoint } from './endpoint.js';
import { isEventType } from '../events/service.js';
import {
  countDeliveries,
  countEndpoints,
  deleteEndpointRow,
  type EndpointFields,
  findDelivery as findDeliveryRow,
  findEndpoint as findEndpointRow,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  requeueDeliveries,
  setSecret,
  updateEndpointRow,
} from './repository/endpoints.js';
import { newSecret } from './secret.js';

export type { Delivery, DeliveryStatus, WebhookEndpoint } from './endpoint.js';
export { DELIVERY_STATUSES } from './endpoint.js';
export { WebhookWorker } from './worker.js';

/** An account keeps at most this many endpoints, so that listing them all stays small. */
export const MAX_ENDPOINTS = 100;
export const MAX_DESCRIPTION_LENGTH = 500;

const failed = <T>(...errors: UserError[]): Outcome<T> => ({ ok: false, errors });
const notFound = (path: ErrorPath) => userError('NOT_FOUND', path, 'there is no webhook endpoint with this id');

export interface EndpointInput {
  url?: string | null;
  description?: string | null;
  /** Dotted (contact.created, …); empty means every type. */
  eventTypes?: readonly string[] | null;
  enabled?: boolean | null;
}

export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

/** The fields given, checked; the URL's host resolved and its addresses judged. */
async function checkFields(input: EndpointInput, allowPrivateNetworks: boolean, creating: boolean): Promise<Outcome<EndpointFields>> {
  const errors: UserError[] = [];
  const fields: EndpointFields = {};
  if (input.url != null || creating) {
    const url = (input.url ?? '').trim();
    const problem = urlProblem(url);
    if (problem) errors.push(userError(problem.includes('longer') ? 'TOO_LONG' : 'INVALID', ['url'], problem));
    else {
      const target = await resolveTarget(url, allowPrivateNetworks);
      if (target.ok) fields.url = url;
      else errors.push(userError('INVALID', ['url'], target.reason));
    }
  } else if (input.url === null && !creating) {
    errors.push(userError('INVALID', ['url'], 'url cannot be null'));
  }
  if (input.description !== undefined) {
    if (input.description !== null && input.description.length > MAX_DESCRIPTION_LENGTH) {
      errors.push(userError('TOO_LONG', ['description'], `description is longer than ${MAX_DESCRIPTION_LENGTH} characters`));
    } else fields.description = input.description;
  }
  if (input.eventTypes != null || creating) {
    const types = input.eventTypes ?? [];
    types.forEach((type, index) => {
      if (!isEventType(type)) errors.push(userError('INVALID', ['eventTypes', index], `${type} is not an event type`));
    });
    fields.eventTypes = [...new Set(types)];
  }
  if (input.enabled != null) fields.enabled = input.enabled;
  return errors.length ? failed(...errors) : { ok: true, value: fields };
}

export async function createEndpoint(
  db: Database,
  accountId: string,
  input: EndpointInput & { url: string },
  allowPrivateNetworks: boolean,
): Promise<Outcome<EndpointWithSecret>> {
  const checked = await checkFields(input, allowPrivateNetworks, true);
  if (!checked.ok) return checked;
  if ((await countEndpoints(db.prisma, accountId)) >= MAX_ENDPOINTS) {
    return failed(userError('LIMIT_EXCEEDED', null, `an account keeps at most ${MAX_ENDPOINTS} webhook endpoints`));
  }
  const secret = newSecret();
  const { url, eventTypes = [], ...rest } = checked.value;
  const endpoint = await insertEndpoint(db.prisma, accountId, { ...rest, url: url!, eventTypes }, secret);
  return { ok: true, value: { endpoint, secret } };
}

/** The caller's endpoint with this id, or null (unknown, another account's, or no endpoint id). */
export function findEndpoint(db: Database, accountId: string, id: string): Promise<WebhookEndpoint | null> {
  return findEndpointRow(db.prisma, accountId, id);
}

/** Changes only the fields given. Enabling (again) clears an automatic disable's reason. */
export async function updateEndpoint(
  db: Database,
  accountId: string,
  id: string,
  input: EndpointInput,
  allowPrivateNetworks: boolean,
): Promise<Outcome<WebhookEndpoint>> {
  if (!(await findEndpoint(db, accountId, id))) return failed(notFound(['id']));
  const checked = await checkFields(input, allowPrivateNetworks, false);
  if (!checked.ok) return checked;
  return { ok: true, value: await updateEndpointRow(db.prisma, id, checked.value) };
}

/** Removes the endpoint and its deliveries. Answers its id. */
export async function deleteEndpoint(db: Database, accountId: string, id: string): Promise<Outcome<string>> {
  return (await deleteEndpointRow(db.prisma, accountId, id)) ? { ok: true, value: id } : failed(notFound(['id']));
}

/** A new secret, shown once; it signs from the next attempt on, and the old one stops at once. */
export async function rotateSecret(db: Database, accountId: string, id: string): Promise<Outcome<EndpointWithSecret>> {
  if (!(await findEndpoint(db, accountId, id))) return failed(notFound(['id']));
  const secret = newSecret();
  return { ok: true, value: { endpoint: await setSecret(db.prisma, id, secret), secret } };
}

/** Queues again the endpoint's deliveries of events created at or after `since`; answers how many. */
export async function redeliver(
  db: Database,
  accountId: string,
  input: { endpointId: string; since: Date; onlyFailed?: boolean | null },
): Promise<Outcome<number>> {
  if (!(await findEndpoint(db, accountId, input.endpointId))) return failed(notFound(['endpointId']));
  return { ok: true, value: await requeueDeliveries(db.prisma, input.endpointId, input.since, input.onlyFailed ?? false) };
}

export function endpointPosition(endpoint: { createdAt: Date; id: string }): Position {
  return [endpoint.createdAt.toISOString(), endpoint.id];
}

/** A keyset page of the account's endpoints, newest first. */
export function endpointPage(db: Database, accountId: string, window: KeysetWindow): Promise<WebhookEndpoint[]> {
  return listEndpoints(db.prisma, accountId, window);
}

export function endpointCount(db: Database, accountId: string): Promise<number> {
  return countEndpoints(db.prisma, accountId);
}

/** A keyset page of an endpoint's deliveries (the caller has checked the endpoint is its own), newest first. */
export function deliveryPage(db: Database, endpointId: string, status: DeliveryStatus | null, window: KeysetWindow): Promise<Delivery[]> {
  return listDeliveries(db.prisma, endpointId, status, window);
}

/** The caller's delivery with this id, or null. */
export function findDelivery(db: Database, accountId: string, id: string): Promise<Delivery | null> {
  return findDeliveryRow(db.prisma, accountId, id);
}

export function deliveryPosition(delivery: { createdAt: Date; id: string }): Position {
  return [delivery.createdAt.toISOString(), delivery.id];
}

export function deliveryCount(db: Database, endpointId: string, status: DeliveryStatus | null): Promise<number> {
  return countDeliveries(db.prisma, endpointId, status);
}
