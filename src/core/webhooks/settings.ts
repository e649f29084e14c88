// How webhook deliveries behave (WEBHOOK_* settings, read by config.ts). Pure.

export interface WebhookSettings {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: deliver to loopback, private, link-local, … addresses too. */
  allowPrivateNetworks: boolean;
  /** WEBHOOK_RETRY_SCHEDULE: the delay before each retry; after the last failed retry, FAILED. */
  retryScheduleMs: number[];
  /** How often an instance looks for due deliveries when it found none. */
  pollMs: number;
  /** WEBHOOK_CONCURRENCY: the attempts one instance makes at once. */
  concurrency: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** EVENTS.md: retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. */
export const DEFAULT_RETRY_SCHEDULE_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

const UNITS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY };

/** `5s,5m,30m` as milliseconds; null when it is not such a list (1 to 20 delays, each at most 7 days). */
export function parseRetrySchedule(text: string): number[] | null {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length < 1 || parts.length > 20) return null;
  const delays: number[] = [];
  for (const part of parts) {
    const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(part);
    if (!match) return null;
    const ms = Number(match[1]) * UNITS[match[2]!]!;
    if (ms > 7 * DAY) return null;
    delays.push(ms);
  }
  return delays;
}

/** An endpoint whose attempts have all failed this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 5 * DAY;
/** EVENTS.md: a 2xx answer within 15 s, counted from the start of the connection. */
export const ATTEMPT_TIMEOUT_MS = 15_000;
/** Answers are read up to 64 KB and then dropped; the first 1 KB is recorded. */
export const MAX_ANSWER_BYTES = 64 * 1024;
export const RECORDED_ANSWER_BYTES = 1024;
/** How long a claimed delivery stays with the instance that claimed it. */
export const CLAIM_LEASE_MS = 60_000;
