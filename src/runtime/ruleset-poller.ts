import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { CONTRACT_CODES } from "../ruleset/codes.js";
import type { Ruleset } from "../ruleset/types.js";
import type { Evaluator } from "./evaluator.js";
import type { StreamListener } from "./ruleset-stream.js";

/**
 * Keeps a ruleset fetched from `GET /v1/ruleset` of an exp server, for the Node SDK and the browser
 * client alike: conditional requests with If-None-Match, and the last good ruleset keeps serving
 * when a fetch fails or what arrives does not verify. Browser-safe: `fetch` and timers only.
 */
export interface PollerOptions {
  /** The exp server (…/v1/ruleset is appended unless present). */
  url: string;
  headers?: Record<string, string>;
  /** Default 30 s; 0 turns background updates off (refresh() still fetches). */
  pollIntervalMs?: number;
  fetch: typeof fetch;
  /** Verifies a fetched ruleset's text; throws an error with the `diagnostics` when it does not verify. */
  load(text: string): Evaluator | Promise<Evaluator>;
  /** The error thrown when the first ruleset cannot be had (the client's own error class). */
  rejected(diagnostics: Diagnostic[]): Error;
  onError?: (diagnostics: Diagnostic[]) => void;
  onUpdate?: (ruleset: Ruleset) => void;
  /**
   * Follows the server's ruleset stream (ruleset-stream.ts) while background updates are on:
   * polling pauses while it is live and resumes when it is lost. Passed in rather than imported,
   * so a client without it (the browser bundle, held to a size budget) does not carry it.
   */
  follow?: (endpoint: string, listener: StreamListener) => { close(): void };
}

export interface RulesetPoller {
  /** The evaluator of the last good ruleset. */
  readonly evaluator: Evaluator;
  readonly lastError: Diagnostic[] | undefined;
  /** Fetches now; resolves true when a new ruleset was installed. */
  refresh(): Promise<boolean>;
  close(): void;
}

/** Resolves once the first ruleset is fetched and verified; rejects with `options.rejected(…)` otherwise. */
export async function startRulesetPoller(options: PollerOptions): Promise<RulesetPoller> {
  const endpoint = /\/v1\/ruleset\/?$/.test(options.url) ? options.url : `${options.url.replace(/\/+$/, "")}/v1/ruleset`;
  const failed = (message: string) => options.rejected([diagnostic(CONTRACT_CODES.fetchFailed, message)]);
  let etag: string | undefined;
  let lastError: Diagnostic[] | undefined;

  const fetchOnce = async (): Promise<Evaluator | undefined> => {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (etag) headers["if-none-match"] = etag;
    let res: Response;
    try {
      res = await options.fetch(endpoint, { headers });
    } catch (err) {
      throw failed(`Cannot reach "${endpoint}" (${(err as Error).message}); the last good ruleset keeps serving.`);
    }
    if (res.status === 304) return undefined;
    const body = await res.text();
    if (res.status !== 200) throw failed(`"${endpoint}" answered ${res.status}; the last good ruleset keeps serving.`);
    const next = await options.load(body);
    etag = res.headers.get("etag") ?? undefined;
    return next;
  };

  const first = await fetchOnce();
  if (!first) throw failed(`"${endpoint}" answered 304 to the first request.`);
  let evaluator = first;

  const refresh = async (): Promise<boolean> => {
    try {
      const next = await fetchOnce();
      lastError = undefined;
      if (!next || next.ruleset.checksum === evaluator.ruleset.checksum) return false;
      evaluator = next;
      options.onUpdate?.(next.ruleset);
      return true;
    } catch (err) {
      // The load and fetch errors (RulesetLoadError, RulesetRejected) carry their diagnostics.
      const carried = (err as { diagnostics?: Diagnostic[] } | undefined)?.diagnostics;
      lastError = carried ?? [diagnostic(CONTRACT_CODES.fetchFailed, String(err))];
      options.onError?.(lastError);
      return false;
    }
  };

  // One fetch at a time, and at most one waiting behind it: news arriving meanwhile (a stream event,
  // a poll) is what the waiting one will fetch.
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = false;
  const update = (): void => {
    if (waiting) return;
    waiting = true;
    queue = queue.then(() => {
      waiting = false;
      return refresh();
    });
  };

  let timer: ReturnType<typeof setInterval> | undefined;
  let stream: { close(): void } | undefined;
  let live = false;
  const every = options.pollIntervalMs ?? 30_000;
  if (every > 0) {
    timer = setInterval(() => {
      if (!live) update();
    }, every);
    // Polling must never keep a process alive on its own (browsers have no unref).
    (timer as { unref?: () => void }).unref?.();
    stream = options.follow?.(endpoint, {
      served: (checksum) => {
        if (checksum !== evaluator.ruleset.checksum) update();
      },
      // No catching up is needed when the stream returns: the server names its current ruleset first.
      live: (open) => (live = open),
    });
  }

  return {
    get evaluator() {
      return evaluator;
    },
    get lastError() {
      return lastError;
    },
    refresh,
    close() {
      // Both are idempotent, so closing twice is harmless.
      clearInterval(timer);
      stream?.close();
    },
  };
}
