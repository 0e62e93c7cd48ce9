import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type RbWebhookDelivery, rbWebhookDeliveries, rbWebhookDeliveryAttempts } from "./schema";

export interface DispatcherOptions {
  fetch?: typeof fetch;
  /** Waits before the retries of a failed delivery; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  /** Per-attempt time-out. */
  timeoutMs?: number;
  /** Deliveries in flight at once (per dispatcher, i.e. per process). */
  concurrency?: number;
}

export interface AttemptResult {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

export type DeliveryToSend = Pick<RbWebhookDelivery, "id" | "url" | "headers" | "body">;

interface Job {
  delivery: DeliveryToSend;
  /** 0 for the first try, then 1..retries. */
  attempt: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [500, 2_000, 8_000] as const;

/**
 * Delivers webhook rows that were committed with their booking. In-process and bounded: a queue
 * drained by at most `concurrency` requests at once, failed attempts retried after short,
 * unref'd timers (a test or script never waits on them), every attempt recorded.
 */
export class WebhookDispatcher {
  private readonly queue: Job[] = [];
  private inFlight = 0;
  private timers = 0;
  private waiters: (() => void)[] = [];
  private readonly fetchImpl: typeof fetch;
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly concurrency: number;

  constructor(
    private readonly db: () => Promise<Db>,
    options: DispatcherOptions = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = options.concurrency ?? 16;
  }

  /** Queues first attempts; call only after the transaction that inserted the rows committed. */
  enqueue(deliveries: DeliveryToSend[]): void {
    for (const delivery of deliveries) this.queue.push({ delivery, attempt: 0 });
    this.pump();
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry (for tests and scripts). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends one delivery now, outside the queue, and records the attempt (a redelivery). */
  async sendNow(delivery: DeliveryToSend): Promise<AttemptResult> {
    const result = await this.post(delivery);
    await this.record(delivery.id, result, "manual");
    return result;
  }

  private isIdle() {
    return this.queue.length === 0 && this.inFlight === 0 && this.timers === 0;
  }

  private settle() {
    if (!this.isIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private pump() {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inFlight++;
      void this.run(job).finally(() => {
        this.inFlight--;
        this.pump();
        this.settle();
      });
    }
  }

  private async run(job: Job) {
    const result = await this.post(job.delivery);
    const willRetry = !result.ok && job.attempt < this.retryDelaysMs.length;
    try {
      await this.record(job.delivery.id, result, willRetry ? "retrying" : "final");
    } catch (error) {
      console.error("rackbeat sandbox: recording a webhook attempt failed", error);
    }
    if (!willRetry) return;
    this.timers++;
    const timer = setTimeout(() => {
      this.timers--;
      this.queue.push({ delivery: job.delivery, attempt: job.attempt + 1 });
      this.pump();
      this.settle();
    }, this.retryDelaysMs[job.attempt]);
    timer.unref();
  }

  private async post(delivery: DeliveryToSend): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await this.fetchImpl(delivery.url, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Drain the body so the connection is reused.
      await response.arrayBuffer().catch(() => undefined);
      return {
        ok: response.status >= 200 && response.status < 300,
        responseStatus: response.status,
        error: response.ok ? null : `HTTP ${response.status}`,
        durationMs: elapsed(),
      };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { ok: false, responseStatus: null, error: message, durationMs: elapsed() };
    }
  }

  private async record(deliveryId: number, result: AttemptResult, mode: "retrying" | "final" | "manual") {
    const failed =
      mode === "retrying"
        ? sql`'pending'`
        : mode === "final"
          ? sql`'failed'`
          : sql`case when ${rbWebhookDeliveries.status} = 'pending' then 'pending' else 'failed' end`;
    const db = await this.db();
    await db.transaction(async (tx) => {
      await tx.insert(rbWebhookDeliveryAttempts).values({
        deliveryId,
        responseStatus: result.responseStatus,
        error: result.error,
        durationMs: result.durationMs,
      });
      await tx
        .update(rbWebhookDeliveries)
        .set({
          attempts: sql`${rbWebhookDeliveries.attempts} + 1`,
          responseStatus: result.responseStatus,
          lastError: result.error,
          status: result.ok ? "delivered" : failed,
          deliveredAt: result.ok ? sql`now()` : undefined,
          updatedAt: sql`now()`,
        })
        .where(eq(rbWebhookDeliveries.id, deliveryId));
    });
  }
}
