// The SQL of the delivery worker: claiming due deliveries (one statement, FOR UPDATE SKIP LOCKED,
// with a lease so that another instance retakes the claims of one that died) and recording each
// attempt's outcome, which only the claim that made it can do.
import type { PrismaClient } from '../../../db/generated/prisma/client.js';
import type { EventView } from '../../events/service.js';

export interface ClaimedDelivery {
  id: string;
  /** Attempts made before this one. */
  attempts: number;
  endpointId: string;
  url: string;
  secret: string;
  event: EventView;
}

interface ClaimRow {
  id: string;
  attempts: number;
  endpoint_id: string;
  url: string;
  secret: string;
  event_id: string;
  type: string;
  source: string;
  api_key_prefix: string | null;
  import_job_id: string | null;
  data: unknown;
  previous: unknown;
  created_at: Date;
}

/**
 * Claims up to `limit` due PENDING deliveries of enabled endpoints for `leaseMs`, under `token`.
 * Rows another transaction is claiming are skipped, not waited for, and a claimed row is not due
 * again until its lease has run out: two instances never take the same attempt.
 */
export async function claimDue(prisma: PrismaClient, limit: number, leaseMs: number, token: string): Promise<ClaimedDelivery[]> {
  const rows = await prisma.$queryRaw<ClaimRow[]>`
    WITH due AS (
      SELECT d.id FROM webhook_deliveries d
      JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled
      WHERE d.status = 'PENDING' AND d.next_attempt_at <= now()
        AND (d.lease_expires_at IS NULL OR d.lease_expires_at < now())
      ORDER BY d.next_attempt_at
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE webhook_deliveries d
    SET lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}::float8), lease_token = ${token}
    FROM due, webhook_endpoints w, events e
    WHERE d.id = due.id AND w.id = d.endpoint_id AND e.id = d.event_id
    RETURNING d.id, d.attempts, d.endpoint_id, w.url, w.secret, e.id AS event_id, e.type, e.source, e.api_key_prefix,
      e.import_job_id, e.data, e.previous, e.created_at`;
  return rows.map((row) => ({
    id: row.id,
    attempts: row.attempts,
    endpointId: row.endpoint_id,
    url: row.url,
    secret: row.secret,
    event: {
      id: row.event_id,
      type: row.type as EventView['type'],
      source: row.source as EventView['source'],
      apiKeyPrefix: row.api_key_prefix,
      importJobId: row.import_job_id,
      data: row.data,
      previous: row.previous as EventView['previous'],
      createdAt: new Date(row.created_at),
    },
  }));
}

export interface AttemptRecord {
  startedAt: Date;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
}

export interface Success {
  id: string;
  /** The claim that made the attempt: only it may record the outcome. */
  token: string;
  attempt: AttemptRecord;
}

/**
 * 2xx answers, in one statement however many: each SUCCEEDED, and its endpoint's failing streak
 * ends. A claim lost to an expired lease records nothing (another instance holds the delivery).
 */
export async function recordSuccesses(prisma: PrismaClient, successes: readonly Success[]): Promise<void> {
  const column = <T>(pick: (success: Success) => T) => successes.map(pick);
  await prisma.$queryRaw`
    WITH s AS (
      SELECT * FROM unnest(
        ${column((s) => s.id)}::text[], ${column((s) => s.token)}::text[], ${column((s) => s.attempt.startedAt.toISOString())}::text[]::timestamptz[],
        ${column((s) => s.attempt.statusCode)}::int[], ${column((s) => s.attempt.responseBody)}::text[],
        ${column((s) => s.attempt.durationMs)}::int[]
      ) AS s(id, token, started_at, status_code, response_body, duration_ms)
    ), done AS (
      UPDATE webhook_deliveries d
      SET status = 'SUCCEEDED', attempts = attempts + 1, next_attempt_at = NULL, last_attempt_at = s.started_at,
        last_status_code = s.status_code, last_error = NULL, last_response_body = s.response_body,
        last_duration_ms = s.duration_ms, lease_expires_at = NULL, lease_token = NULL
      FROM s WHERE d.id = s.id AND d.lease_token = s.token
      RETURNING d.id, d.endpoint_id
    ), streak AS (
      UPDATE webhook_endpoints w SET failing_since = NULL
      WHERE w.id IN (SELECT endpoint_id FROM done) AND w.failing_since IS NOT NULL
    )
    SELECT id FROM done`;
}

export interface FailureOutcome {
  recorded: boolean;
  /** Set when this failure disabled the endpoint: the reason it now shows. */
  disabledReason: string | null;
}

/**
 * A failed attempt: due again after `retryInMs`, or FAILED when it is null. The endpoint's
 * failing streak starts (if this is its first failure since a success), and an endpoint whose
 * attempts have all failed for `disableAfterMs` is disabled with a reason.
 */
export async function recordFailure(
  prisma: PrismaClient,
  id: string,
  token: string,
  attempt: AttemptRecord,
  retryInMs: number | null,
  disableAfterMs: number,
): Promise<FailureOutcome> {
  const reason = `disabled by the service: every delivery attempt failed for ${Math.round(disableAfterMs / 86_400_000)} days`;
  const rows = await prisma.$queryRaw<{ id: string; disabled_reason: string | null }[]>`
    WITH done AS (
      UPDATE webhook_deliveries
      SET status = CASE WHEN ${retryInMs}::float8 IS NULL THEN 'FAILED' ELSE 'PENDING' END,
        attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => ${retryInMs}::float8 / 1000),
        last_attempt_at = ${attempt.startedAt}, last_status_code = ${attempt.statusCode}, last_error = ${attempt.error},
        last_response_body = ${attempt.responseBody}, last_duration_ms = ${attempt.durationMs},
        lease_expires_at = NULL, lease_token = NULL
      WHERE id = ${id} AND lease_token = ${token}
      RETURNING id, endpoint_id
    ), streak AS (
      UPDATE webhook_endpoints w
      SET failing_since = COALESCE(w.failing_since, now()),
        enabled = w.enabled AND NOT x.expired,
        disabled_reason = CASE WHEN x.expired
          THEN ${reason} || ' (since ' || to_char(w.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ')'
          ELSE w.disabled_reason END,
        updated_at = CASE WHEN x.expired THEN now() ELSE w.updated_at END
      FROM done
      JOIN webhook_endpoints cur ON cur.id = done.endpoint_id
      CROSS JOIN LATERAL (
        SELECT cur.enabled AND COALESCE(cur.failing_since <= now() - make_interval(secs => ${disableAfterMs / 1000}::float8), false) AS expired
      ) x
      WHERE w.id = cur.id
      RETURNING w.id, x.expired, w.disabled_reason
    ), parked AS (
      -- A disabled endpoint's other PENDING deliveries wait, with no next attempt, until it is enabled.
      UPDATE webhook_deliveries p SET next_attempt_at = NULL
      FROM streak, done
      WHERE streak.expired AND p.endpoint_id = streak.id AND p.status = 'PENDING' AND p.id <> done.id
    )
    SELECT done.id, (SELECT disabled_reason FROM streak WHERE expired) AS disabled_reason FROM done`;
  return { recorded: rows.length > 0, disabledReason: rows[0]?.disabled_reason ?? null };
}
