// The REST API's JSON for a contact, a segment and an import job (snake_case, REST.md): one mapping for the REST
// routes and for the events, whose `data` is "the object in the REST API's JSON" (EVENTS.md).
import type { Contact } from './contacts/contact.js';
import type { ImportJob } from './imports/job.js';
import { storedRules } from './segments/rules.js';
import type { Segment } from './segments/segment.js';
import { eventBody } from './events/service.js';
import type { Delivery, WebhookEndpoint } from './webhooks/service.js';

export interface ContactJson {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  properties: Record<string, unknown>;
  unsubscribed: boolean;
  unsubscribed_at: string | null;
  created_at: string;
  updated_at: string;
}

export function contactJson(contact: Contact): ContactJson {
  return {
    id: contact.id,
    email: contact.email,
    first_name: contact.firstName,
    last_name: contact.lastName,
    properties: contact.properties as Record<string, unknown>,
    unsubscribed: contact.unsubscribed,
    unsubscribed_at: contact.unsubscribedAt?.toISOString() ?? null,
    created_at: contact.createdAt.toISOString(),
    updated_at: contact.updatedAt.toISOString(),
  };
}

export interface SegmentRuleJson {
  field: string;
  operator: string;
  value?: string;
  values?: string[];
}

export interface SegmentJson {
  id: string;
  name: string;
  type: 'static' | 'dynamic';
  match: 'all' | 'any';
  rules: SegmentRuleJson[];
  contact_count?: number;
  created_at: string;
  updated_at: string;
}

/** `contactCount` is given for single-segment answers (and lists asked with ?include=contact_count). */
export function segmentJson(segment: Segment, contactCount?: number): SegmentJson {
  return {
    id: segment.id,
    name: segment.name,
    type: segment.type === 'STATIC' ? 'static' : 'dynamic',
    match: segment.match === 'ALL' ? 'all' : 'any',
    rules: storedRules(segment.rules).map((rule) => ({ ...rule, operator: rule.operator.toLowerCase() })),
    ...(contactCount !== undefined && { contact_count: contactCount }),
    created_at: segment.createdAt.toISOString(),
    updated_at: segment.updatedAt.toISOString(),
  };
}

export interface ImportJobJson {
  id: string;
  status: 'processing' | 'completed' | 'failed';
  filename: string | null;
  imported: number;
  updated: number;
  errors: number;
  rows_processed: number;
  row_errors: { line: number; email: string | null; message: string }[];
  failure_reason: string | null;
  created_at: string;
  finished_at: string | null;
}

/** A job and its kept row errors; `status` in lower case, as a segment's `type`. */
export function importJobJson(job: ImportJob, rowErrors: ImportJobJson['row_errors']): ImportJobJson {
  return {
    id: job.id,
    status: job.status.toLowerCase() as ImportJobJson['status'],
    filename: job.filename,
    imported: job.imported,
    updated: job.updated,
    errors: job.errors,
    rows_processed: job.rowsProcessed,
    row_errors: rowErrors.map(({ line, email, message }) => ({ line, email, message })),
    failure_reason: job.failureReason,
    created_at: job.createdAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}

export interface WebhookJson {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export function webhookJson(endpoint: WebhookEndpoint): WebhookJson {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.eventTypes,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

export function deliveryJson(delivery: Delivery) {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    event_type: delivery.event.type,
    status: delivery.status.toLowerCase() as 'pending' | 'succeeded' | 'failed',
    attempts: delivery.attempts,
    last_attempt_at: delivery.lastAttemptAt?.toISOString() ?? null,
    next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    last_response_body: delivery.lastResponseBody,
    last_duration_ms: delivery.lastDurationMs,
    created_at: delivery.createdAt.toISOString(),
    event: eventBody(delivery.event),
  };
}
