import { SendQueue, type QueueStats, type SendOutcome, type Timers } from "./send-queue.js";
import type { EventTracker, Exposure, ExposureSink, IdentifyCall, TrackedEvent } from "./wire.js";

export interface HttpSinkOptions {
  /** The exp server, e.g. "http://127.0.0.1:8080". */
  url: string;
  /** e.g. `{authorization: "Bearer <key with the ingest scope>"}`. */
  headers?: Record<string, string>;
  /** Records held per kind, waiting or being sent; when full, the newest is dropped and counted (10,000). */
  maxQueue?: number;
  /** Records per request (500; the server takes up to 10,000). */
  batchSize?: number;
  /** How long a partial batch waits for more (1,000 ms). */
  flushIntervalMs?: number;
  /** Tries per batch before it is given up (10). */
  maxAttempts?: number;
  /** The first retry waits up to this (200 ms), doubling per attempt up to `maxDelayMs` (30,000 ms). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A request that has not answered in this long is retried (10,000 ms). */
  requestTimeoutMs?: number;
  /** Told how many records of a kind were dropped because the queue was full. */
  onDrop?: (kind: SinkKind, count: number) => void;
  /** Told about records the server refused, or that were given up after the last retry. */
  onError?: (kind: SinkKind, message: string, count: number) => void;
  /** For tests: the transport, the timers, the clock and the jitter. */
  fetch?: typeof fetch;
  timers?: Timers;
  now?: () => number;
  random?: () => number;
}

export type SinkKind = "exposures" | "events" | "identities";

export interface HttpSink extends ExposureSink, EventTracker {
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): Record<SinkKind, QueueStats>;
}

const NODE_TIMERS: Timers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

/**
 * The SDK's sink to `exp serve`: exposures to `POST /v1/exposures`, events to `POST /v1/events`,
 * identify calls to `POST /v1/identify`, batched. Network errors, 408, 429 and 5xx are retried with exponential backoff and full jitter
 * (honouring `Retry-After`); another 4xx is reported and not retried. The server acknowledges only
 * what is fsynced, and every record carries its id, so a retry after a lost answer is a duplicate
 * the server ignores, never a second record.
 */
export function createHttpSink(options: HttpSinkOptions): HttpSink {
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeout = options.requestTimeoutMs ?? 10_000;
  const queue = <T>(kind: SinkKind, path: string, field: string) =>
    new SendQueue<T>((batch) => post(doFetch, `${base}${path}`, options.headers, { [field]: batch }, timeout), {
      maxQueue: options.maxQueue ?? 10_000,
      batchSize: options.batchSize ?? 500,
      flushIntervalMs: options.flushIntervalMs ?? 1_000,
      maxAttempts: options.maxAttempts ?? 10,
      baseDelayMs: options.baseDelayMs ?? 200,
      maxDelayMs: options.maxDelayMs ?? 30_000,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      timers: options.timers ?? NODE_TIMERS,
      onDrop: (n) => options.onDrop?.(kind, n),
      onError: (message, n) => options.onError?.(kind, message, n),
    });
  const exposures = queue<Exposure>("exposures", "/v1/exposures", "exposures");
  const events = queue<TrackedEvent>("events", "/v1/events", "events");
  const identities = queue<IdentifyCall>("identities", "/v1/identify", "identities");
  const all = [exposures, events, identities];
  return {
    exposure: (e) => void exposures.push(e),
    track: (e) => void events.push(e),
    identify: (i) => void identities.push(i),
    flush: async () => {
      await Promise.all(all.map((q) => q.flush()));
    },
    close: async () => {
      await Promise.all(all.map((q) => q.close()));
    },
    stats: () => ({ exposures: { ...exposures.stats }, events: { ...events.stats }, identities: { ...identities.stats } }),
  };
}

async function post(
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string> | undefined,
  body: unknown,
  timeoutMs: number,
): Promise<SendOutcome> {
  let res: Response;
  let text: string;
  try {
    res = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    return { ok: false, retry: true, message: `cannot reach "${url}" (${(err as Error).message})`, retryAfter: null };
  }
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A proxy's HTML error page: the status says what happened.
  }
  if (res.status >= 200 && res.status < 300) {
    const rejected = Array.isArray(json.rejected) ? (json.rejected as { index: number; error: string }[]) : [];
    return { ok: true, duplicates: Number(json.duplicates ?? 0) || 0, rejected };
  }
  const message = `"${url}" answered ${res.status}${typeof json.error === "string" ? `: ${json.error}` : ""}`;
  if (res.status === 408 || res.status === 429 || res.status >= 500)
    return { ok: false, retry: true, status: res.status, message, retryAfter: res.headers.get("retry-after") };
  return { ok: false, retry: false, status: res.status, message };
}
