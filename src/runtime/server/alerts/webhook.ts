import { SendQueue, type SendOutcome, type Timers } from "../../sdk/send-queue.js";
import type { ServerLog } from "../server-log.js";
import type { Alert, AlertKind } from "./alert.js";
import { webhookBody, type WebhookFormat } from "./bodies.js";

/** Where alerts go: a named URL (never logged: a Slack webhook URL is its own secret), its body format and the kinds it takes. */
export interface WebhookTarget {
  name: string;
  url: string;
  format: WebhookFormat;
  kinds: readonly AlertKind[];
}

/** How hard a delivery tries; the defaults suit a chat webhook. */
export interface DeliveryTuning {
  /** Alerts held per webhook, waiting or being sent; when full, the newest is dropped and counted (100). */
  maxQueue: number;
  /** Tries per alert before it is given up (6). */
  maxAttempts: number;
  /** The first retry waits up to this (1,000 ms), doubling per attempt up to `maxDelayMs` (60,000 ms). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** An attempt not answered in this long is abandoned and retried (10,000 ms). */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryTuning = {
  maxQueue: 100,
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  timeoutMs: 10_000,
};

export type DeliveryOutcome = "sent" | "retried" | "failed" | "dropped";

export interface DeliveryContext {
  tuning: DeliveryTuning;
  timers: Timers;
  now: () => number;
  random: () => number;
  fetch: typeof fetch;
  log: ServerLog;
  /** Counts each outcome (the /metrics series). */
  count: (target: string, outcome: DeliveryOutcome) => void;
}

/**
 * The alerts on their way to one webhook: a bounded FIFO (the SDK's send queue, one alert a
 * request) so that a dead receiver holds at most `maxQueue` alerts and never the server; retried
 * with exponential backoff and full jitter on a network error, a timeout, 408, 429 or a 5xx.
 * Every attempt is a server log line. All of it runs on timers: `enqueue` returns at once.
 */
export class WebhookDelivery {
  private readonly queue: SendQueue<Alert>;
  /** Timers armed through this delivery, cleared at close so that nothing fires after it. */
  private readonly armed = new Set<unknown>();
  private readonly inFlight = new AbortController();
  private attempt = 0;
  private closed = false;

  constructor(
    readonly target: WebhookTarget,
    private readonly c: DeliveryContext,
  ) {
    const timers: Timers = {
      setTimeout: (fn, ms) => {
        // A retry scheduled by an attempt that closing aborted: nothing is armed any more.
        if (this.closed) return {};
        const handle = c.timers.setTimeout(() => {
          this.armed.delete(handle);
          if (!this.closed) fn();
        }, ms);
        this.armed.add(handle);
        return handle;
      },
      clearTimeout: (handle) => {
        this.armed.delete(handle);
        c.timers.clearTimeout(handle);
      },
    };
    this.queue = new SendQueue<Alert>((batch) => this.send(batch[0]!), {
      maxQueue: c.tuning.maxQueue,
      batchSize: 1,
      flushIntervalMs: 0,
      maxAttempts: c.tuning.maxAttempts,
      baseDelayMs: c.tuning.baseDelayMs,
      maxDelayMs: c.tuning.maxDelayMs,
      random: c.random,
      now: c.now,
      timers,
      onDrop: () => {
        c.count(target.name, "dropped");
        c.log.warn("alert dropped: the webhook's queue is full", { webhook: target.name, queued: c.tuning.maxQueue });
      },
      onError: (message) => {
        this.attempt = 0;
        if (this.closed) return;
        c.count(target.name, "failed");
        c.log.error("alert not delivered", { webhook: target.name, error: message });
      },
    });
  }

  /** Queues `alert` for this webhook; false when it was dropped (the queue is full, or the server is closing). */
  enqueue(alert: Alert): boolean {
    return !this.closed && this.queue.push(alert);
  }

  /** Alerts waiting or being sent. */
  get queued(): number {
    return this.queue.stats.queued;
  }

  /** Abandons what is queued and the attempt in flight: closing the server never waits on a receiver. */
  close(): void {
    this.closed = true;
    for (const handle of this.armed) this.c.timers.clearTimeout(handle);
    this.armed.clear();
    this.inFlight.abort();
  }

  private async send(alert: Alert): Promise<SendOutcome> {
    this.attempt++;
    const fields = { webhook: this.target.name, alert: alert.id, kind: alert.kind, experiment: alert.experiment, attempt: this.attempt };
    const outcome = await this.post(alert);
    if (this.closed) return outcome;
    if (outcome.ok) {
      this.attempt = 0;
      this.c.count(this.target.name, "sent");
      this.c.log.info("alert delivered", fields);
    } else if (outcome.retry) {
      this.c.count(this.target.name, "retried");
      this.c.log.warn("alert delivery failed", { ...fields, error: outcome.message });
    }
    return outcome;
  }

  private async post(alert: Alert): Promise<SendOutcome> {
    const name = this.target.name;
    if (this.closed) return { ok: false, retry: false, status: 0, message: "the server is closing" };
    const attempt = new AbortController();
    const onClose = () => attempt.abort();
    this.inFlight.signal.addEventListener("abort", onClose);
    const timeout = this.c.timers.setTimeout(() => attempt.abort(), this.c.tuning.timeoutMs);
    (timeout as { unref?: () => void }).unref?.();
    try {
      const res = await this.c.fetch(this.target.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(webhookBody(alert, this.target.format)),
        signal: attempt.signal,
      });
      await res.arrayBuffer();
      if (res.ok) return { ok: true, duplicates: 0, rejected: [] };
      const message = `the webhook "${name}" answered ${res.status}`;
      if (res.status === 408 || res.status === 429 || res.status >= 500)
        return { ok: false, retry: true, status: res.status, message, retryAfter: res.headers.get("retry-after") };
      return { ok: false, retry: false, status: res.status, message };
    } catch (err) {
      const why = attempt.signal.aborted ? `no answer within ${this.c.tuning.timeoutMs} ms` : reason(err);
      return { ok: false, retry: true, message: `cannot reach the webhook "${name}" (${why})`, retryAfter: null };
    } finally {
      this.c.timers.clearTimeout(timeout);
      this.inFlight.signal.removeEventListener("abort", onClose);
    }
  }
}

/** A fetch failure's cause (ECONNREFUSED, …) without the URL, which may hold the webhook's secret. */
function reason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return cause.code;
  return err instanceof Error ? err.name : "unknown error";
}
