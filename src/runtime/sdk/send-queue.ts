import { retryAfterMs, retryDelay } from "./backoff.js";

/** What a send of one batch came to. */
export type SendOutcome =
  | { ok: true; duplicates: number; rejected: { index: number; error: string }[] }
  | { ok: false; retry: true; status?: number; message: string; retryAfter: string | null }
  | { ok: false; retry: false; status: number; message: string };

export interface QueueStats {
  /** Waiting or being sent. */
  queued: number;
  /** Acknowledged by the server (durable there), duplicates included. */
  acknowledged: number;
  /** Acknowledged as already stored (a retry of a batch whose answer was lost, or a repeat). */
  duplicates: number;
  /** Refused because the queue was full. */
  dropped: number;
  /** Refused by the server (a 4xx other than 429, or one item of a batch it could not accept). */
  rejected: number;
  /** Abandoned after the last retry. */
  givenUp: number;
  /** Sends that failed and were tried again. */
  retries: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface QueueOptions {
  maxQueue: number;
  batchSize: number;
  flushIntervalMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  now: () => number;
  timers: Timers;
  onDrop: (count: number) => void;
  onError: (message: string, count: number) => void;
}

/**
 * One kind of record on its way to the server: a bounded FIFO sent in batches, one request at a
 * time. A failed batch stays at the head and is sent again, with the same records and so the same
 * ids; what the server acknowledged leaves the queue, so nothing acknowledged is sent twice.
 */
export class SendQueue<T> {
  private readonly items: T[] = [];
  private sending = false;
  private timer: unknown;
  /** A retry is waiting: flushes do not cut a backoff short (it may honour Retry-After). */
  private backingOff = false;
  private attempt = 0;
  private urgent = false;
  private closed = false;
  private waiters: (() => void)[] = [];
  readonly stats: QueueStats = { queued: 0, acknowledged: 0, duplicates: 0, dropped: 0, rejected: 0, givenUp: 0, retries: 0 };

  constructor(
    private readonly send: (batch: T[]) => Promise<SendOutcome>,
    private readonly o: QueueOptions,
  ) {}

  /** Enqueues; when the queue is full the newest record (this one) is dropped and counted. */
  push(item: T): boolean {
    if (this.closed || this.items.length >= this.o.maxQueue) {
      this.stats.dropped++;
      this.o.onDrop(1);
      return false;
    }
    this.items.push(item);
    this.stats.queued = this.items.length;
    if (this.items.length >= this.o.batchSize) this.kick();
    else this.arm(this.o.flushIntervalMs);
    return true;
  }

  /** Resolves once everything queued now (and since) was acknowledged, rejected or given up. */
  flush(): Promise<void> {
    if (this.items.length === 0 && !this.sending) return Promise.resolve();
    this.urgent = true;
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    (this.timer as { ref?: () => void } | undefined)?.ref?.();
    if (!this.backingOff) this.kick();
    return done;
  }

  /** Flushes, then refuses new records and leaves no timer behind. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.disarm();
  }

  private arm(ms: number): void {
    if (this.timer !== undefined || this.sending) return;
    this.timer = this.o.timers.setTimeout(() => {
      this.timer = undefined;
      this.backingOff = false;
      void this.run();
    }, ms);
    // A waiting sink never keeps a process alive on its own, but one that someone awaits must.
    if (this.waiters.length === 0) (this.timer as { unref?: () => void }).unref?.();
  }

  private disarm(): void {
    if (this.timer !== undefined) this.o.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private kick(): void {
    if (this.sending || this.backingOff) return;
    this.disarm();
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.items.length > 0) {
        const batch = this.items.slice(0, this.o.batchSize);
        let outcome: SendOutcome;
        try {
          outcome = await this.send(batch);
        } catch (err) {
          outcome = { ok: false, retry: true, message: (err as Error).message, retryAfter: null };
        }
        if (!outcome.ok && outcome.retry) {
          this.attempt++;
          if (this.attempt < this.o.maxAttempts) {
            this.stats.retries++;
            this.backingOff = true;
            this.sending = false;
            this.arm(retryDelay(this.attempt, this.o, retryAfterMs(outcome.retryAfter, this.o.now())));
            return;
          }
          this.stats.givenUp += batch.length;
          this.o.onError(`gave up after ${this.attempt} attempts: ${outcome.message}`, batch.length);
        } else if (!outcome.ok) {
          this.stats.rejected += batch.length;
          this.o.onError(`refused with ${outcome.status}: ${outcome.message}`, batch.length);
        } else {
          this.stats.acknowledged += batch.length - outcome.rejected.length;
          this.stats.duplicates += outcome.duplicates;
          this.stats.rejected += outcome.rejected.length;
          for (const r of outcome.rejected) this.o.onError(`refused record ${r.index} of a batch: ${r.error}`, 1);
        }
        this.attempt = 0;
        this.items.splice(0, batch.length);
        this.stats.queued = this.items.length;
        // Below a full batch, wait for the interval unless someone is waiting on a flush.
        if (!this.urgent && this.items.length < this.o.batchSize) break;
      }
    } finally {
      if (!this.backingOff) this.sending = false;
    }
    if (this.backingOff) return;
    if (this.items.length === 0) {
      this.urgent = false;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    } else this.arm(this.o.flushIntervalMs);
  }
}
