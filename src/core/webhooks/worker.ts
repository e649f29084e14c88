// The delivery worker of one instance (EVENTS.md, Webhooks): claims due deliveries from the
// database, makes their attempts, records each outcome. Every instance runs one; the claims
// (FOR UPDATE SKIP LOCKED, then a lease) keep two instances from making the same attempt, and a
// lease that runs out (its instance died mid-attempt) makes the delivery due again elsewhere:
// at least once, never lost. Stopped after the HTTP drain, it lets attempts in flight finish.
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { log } from '../../log.js';
import { resolveTarget } from './address.js';
import { eventBody } from '../events/service.js';
import { claimDue, type ClaimedDelivery, recordFailure, recordSuccesses, type Success } from './repository/attempts.js';
import { signedHeaders } from './secret.js';
import { Connections, post, type PostResult } from './sender.js';
import { ATTEMPT_TIMEOUT_MS, CLAIM_LEASE_MS, DISABLE_AFTER_FAILING_MS, type WebhookSettings } from './settings.js';

/** How long a stop waits for a claim under way. */
const ROUND_WAIT_MS = 5000;

export class WebhookWorker {
  private inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private stopped = false;
  /** Ends the loop's current wait: a slot came free, or the worker stops. */
  private wake: (() => void) | null = null;
  private connections = new Connections();
  /** Successes waiting for the next recording, which writes them all in one statement. */
  private successes: { success: Success; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private recording: Promise<void> | null = null;

  constructor(
    private db: Database,
    private settings: WebhookSettings,
    private options: { leaseMs?: number } = {},
  ) {}

  start(): void {
    this.stopped = false;
    this.loop = this.run();
  }

  /**
   * Claims due deliveries into the free slots and starts them, again as slots come free (a
   * quarter of them at least, so that a claim is a batch); when fewer were due than slots were
   * free, looks again after pollMs.
   */
  private async run(): Promise<void> {
    const refillAt = Math.max(1, Math.floor(this.settings.concurrency / 4));
    let failures = 0;
    while (!this.stopped) {
      const free = this.settings.concurrency - this.inFlight.size;
      if (free < refillAt) {
        await this.pause(this.settings.pollMs);
        continue;
      }
      let claimed: number;
      try {
        claimed = await this.claimAndStart(free);
        failures = 0;
      } catch (error) {
        // The database away: one warning, then rounds further apart (up to 30 s) until it is back.
        if (failures++ === 0) log.warn('could not claim webhook deliveries', { error: (error as Error).message });
        await this.pause(Math.min(this.settings.pollMs * 2 ** failures, 30_000));
        continue;
      }
      if (claimed < free) await this.pause(this.settings.pollMs);
    }
  }

  /** Waits up to `ms`, or until a slot comes free or the worker stops. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** Claims up to `limit` due deliveries and starts their attempts; answers how many. */
  private async claimAndStart(limit: number): Promise<number> {
    const token = randomUUID();
    const claimed = await claimDue(this.db.prisma, limit, this.options.leaseMs ?? CLAIM_LEASE_MS, token);
    for (const delivery of claimed) {
      const attempt: Promise<void> = this.attempt(delivery, token).catch((error: unknown) =>
        log.warn('a webhook attempt could not be recorded', { delivery: delivery.id, error: (error as Error).message }),
      );
      this.inFlight.add(attempt);
      void attempt.finally(() => {
        this.inFlight.delete(attempt);
        this.wake?.();
      });
    }
    return claimed.length;
  }

  /** One round for tests and tools: claims what is due and waits for those attempts. Answers how many. */
  async deliverDue(): Promise<number> {
    const token = randomUUID();
    const claimed = await claimDue(this.db.prisma, this.settings.concurrency, this.options.leaseMs ?? CLAIM_LEASE_MS, token);
    await Promise.all(claimed.map((delivery) => this.attempt(delivery, token)));
    return claimed.length;
  }

  /** Makes the attempt and records its outcome; the slot is held until it is recorded. */
  private async attempt(delivery: ClaimedDelivery, token: string): Promise<void> {
    const startedAt = new Date();
    const clock = performance.now();
    const result = await this.send(delivery, startedAt);
    const record = { startedAt, ...result, durationMs: Math.round(performance.now() - clock) };
    if (result.ok) {
      await this.recordSuccess({ id: delivery.id, token, attempt: record });
      return;
    }
    const schedule = this.settings.retryScheduleMs;
    const retryInMs = delivery.attempts < schedule.length ? schedule[delivery.attempts]! : null;
    const outcome = await recordFailure(this.db.prisma, delivery.id, token, record, retryInMs, DISABLE_AFTER_FAILING_MS);
    log.debug('webhook attempt failed', { delivery: delivery.id, endpoint: delivery.endpointId, error: result.error, retryInMs });
    if (outcome.disabledReason) log.warn('webhook endpoint disabled', { endpoint: delivery.endpointId, reason: outcome.disabledReason });
  }

  /**
   * Resolves once this success is written: with the others that came while the last recording
   * ran, in one statement (at 2,000 deliveries a second, a statement for each would be most of
   * the work).
   */
  private recordSuccess(success: Success): Promise<void> {
    return new Promise((resolve, reject) => {
      this.successes.push({ success, resolve, reject });
      this.recording ??= this.recordWaiting();
    });
  }

  private async recordWaiting(): Promise<void> {
    while (this.successes.length) {
      const batch = this.successes.splice(0);
      try {
        await recordSuccesses(
          this.db.prisma,
          batch.map((waiting) => waiting.success),
        );
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.recording = null;
  }

  /** The address check (again: the name may resolve elsewhere now), then the signed POST. */
  private async send(delivery: ClaimedDelivery, startedAt: Date): Promise<PostResult> {
    const deadline = Date.now() + ATTEMPT_TIMEOUT_MS;
    const target = await resolveTarget(delivery.url, this.settings.allowPrivateNetworks);
    if (!target.ok) return { ok: false, statusCode: null, error: target.reason, responseBody: null };
    const body = JSON.stringify(eventBody(delivery.event));
    const headers = signedHeaders(delivery.secret, delivery.event.id, startedAt, body);
    return post(delivery.url, target.address, headers, body, Math.max(1, deadline - Date.now()), this.connections);
  }

  /** Stops claiming and waits for the attempts in flight (each ends within its 15 s). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    // A claim that hangs (the database frozen) is not waited for past a bound: its leases run
    // out and another instance (or the next start) takes those deliveries again.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((resolve) => (timer = setTimeout(resolve, ROUND_WAIT_MS)))]);
    clearTimeout(timer);
    await Promise.all(this.inFlight);
    this.connections.close();
  }
}
