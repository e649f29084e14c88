// The delivery worker of one instance (EVENTS.md, Webhooks): claims due deliveries from the
// database, makes their attempts, records each outcome. Every instance runs one; the claims
// (FOR UPDATE SKIP LOCKED, then a lease) keep two instances from making the same attempt, and a
// lease that runs out (its instance died mid-attempt) makes the delivery due again elsewhere:
// at least once, never lost. Stopped after the HTTP drain, it lets attempts in flight finish.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { log } from '../../log.js';
import { resolveTarget } from './address.js';
import { eventBody } from './event-body.js';
import { claimDue, type ClaimedDelivery, recordFailure, recordSuccess } from './repository/attempts.js';
import { signedHeaders } from './secret.js';
import { post, type PostResult } from './sender.js';
import { ATTEMPT_TIMEOUT_MS, CLAIM_LEASE_MS, DISABLE_AFTER_FAILING_MS, MAX_IN_FLIGHT, type WebhookSettings } from './settings.js';

/** How long a stop waits for a claim under way. */
const ROUND_WAIT_MS = 5000;

export class WebhookWorker {
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> | undefined;
  private stopped = false;
  private failures = 0;

  constructor(
    private db: Database,
    private settings: WebhookSettings,
    private options: { leaseMs?: number; maxInFlight?: number } = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.next(0);
  }

  private next(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.round = this.claimAndStart().then(
        (full) => {
          this.failures = 0;
          this.next(full ? 0 : this.settings.pollMs);
        },
        (error: unknown) => {
          // The database away: one warning, then rounds further apart (up to 30 s) until it is back.
          if (this.failures++ === 0) log.warn('could not claim webhook deliveries', { error: (error as Error).message });
          this.next(Math.min(this.settings.pollMs * 2 ** this.failures, 30_000));
        },
      );
    }, ms);
  }

  /** Claims as many due deliveries as there are free slots and starts them; true when it filled every slot. */
  private async claimAndStart(): Promise<boolean> {
    const free = (this.options.maxInFlight ?? MAX_IN_FLIGHT) - this.inFlight.size;
    if (free <= 0) return false;
    const token = randomUUID();
    const claimed = await claimDue(this.db.prisma, free, this.options.leaseMs ?? CLAIM_LEASE_MS, token);
    for (const delivery of claimed) {
      const attempt: Promise<void> = this.attempt(delivery, token).catch((error: unknown) =>
        log.warn('a webhook attempt could not be recorded', { delivery: delivery.id, error: (error as Error).message }),
      );
      this.inFlight.add(attempt);
      void attempt.finally(() => this.inFlight.delete(attempt));
    }
    return claimed.length === free;
  }

  /** One round for tests and tools: claims what is due and waits for those attempts. Answers how many. */
  async deliverDue(): Promise<number> {
    const token = randomUUID();
    const claimed = await claimDue(
      this.db.prisma,
      this.options.maxInFlight ?? MAX_IN_FLIGHT,
      this.options.leaseMs ?? CLAIM_LEASE_MS,
      token,
    );
    await Promise.all(claimed.map((delivery) => this.attempt(delivery, token)));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery, token: string): Promise<void> {
    const startedAt = new Date();
    const clock = performance.now();
    const result = await this.send(delivery, startedAt);
    const record = { startedAt, ...result, durationMs: Math.round(performance.now() - clock) };
    if (result.ok) {
      await recordSuccess(this.db.prisma, delivery.id, token, record);
      return;
    }
    const schedule = this.settings.retryScheduleMs;
    const retryInMs = delivery.attempts < schedule.length ? schedule[delivery.attempts]! : null;
    const outcome = await recordFailure(this.db.prisma, delivery.id, token, record, retryInMs, DISABLE_AFTER_FAILING_MS);
    log.debug('webhook attempt failed', { delivery: delivery.id, endpoint: delivery.endpointId, error: result.error, retryInMs });
    if (outcome.disabledReason) log.warn('webhook endpoint disabled', { endpoint: delivery.endpointId, reason: outcome.disabledReason });
  }

  /** The address check (again: the name may resolve elsewhere now), then the signed POST. */
  private async send(delivery: ClaimedDelivery, startedAt: Date): Promise<PostResult> {
    const deadline = Date.now() + ATTEMPT_TIMEOUT_MS;
    const target = await resolveTarget(delivery.url, this.settings.allowPrivateNetworks);
    if (!target.ok) return { ok: false, statusCode: null, error: target.reason, responseBody: null };
    const body = JSON.stringify(eventBody(delivery.event));
    const headers = signedHeaders(delivery.secret, delivery.event.id, startedAt, body);
    return post(delivery.url, target.address, headers, body, Math.max(1, deadline - Date.now()));
  }

  /** Stops claiming and waits for the attempts in flight (each ends within its 15 s). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // A claim that hangs (the database frozen) is not waited for past a bound: its leases run
    // out and another instance (or the next start) takes those deliveries again.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.round?.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, ROUND_WAIT_MS)))]);
    clearTimeout(timer);
    await Promise.all(this.inFlight);
  }
}
