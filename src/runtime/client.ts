import { readFileSync } from "node:fs";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import { CONTRACT_CODES } from "../ruleset/codes.js";
import { verifyRuleset } from "../ruleset/verify.js";
import { createEvaluator, type Evaluator } from "./evaluator.js";
import { openNodeEventStream } from "./node-event-stream.js";
import { startRulesetPoller, type RulesetPoller } from "./ruleset-poller.js";
import { followRulesetStream } from "./ruleset-stream.js";
import type { Attributes } from "./condition.js";
import type { Ruleset } from "../ruleset/types.js";
import type { EvaluateAllResult, FlagResult } from "./result.js";
import { ExposureDedup } from "./sdk/exposure-dedup.js";
import { ExposureLogger, mayLogExposure, withoutExposure, type Assignment } from "./sdk/exposure-logger.js";
import { stickyAssign, type StickyStore } from "./sdk/sticky-store.js";
import { identifyCall } from "./sdk/identify-call.js";
import { trackedEvent, type TrackInput } from "./sdk/tracked-event.js";
import type { EventTracker, ExposureSink } from "./sdk/wire.js";
import { userIdOf, type UnitRef } from "./unit-ids.js";
import { interleave, type InterleaveOptions, type InterleaveResult } from "./interleave.js";
import { interleavingExposure } from "./sdk/interleaving-exposure.js";

/**
 * The in-process SDK: evaluates from a ruleset given directly, read from a file, or kept from
 * `GET /v1/ruleset` of an exp server (its stream, else polling). Every ruleset is verified (schema + checksum) before use; a
 * failed fetch or a ruleset that does not verify keeps the last good one serving.
 */
export type ClientOptions = ({ ruleset: Ruleset | string } | { file: string } | ({ url: string } & ServerSource)) & {
  /** Clock for evaluation, ms since the epoch (tests, replays). */
  now?: () => number;
  /** Called when a fetched ruleset is rejected or a fetch fails (the old ruleset keeps serving). */
  onError?: (diagnostics: Diagnostic[]) => void;
  /** Called after a new ruleset version is installed. */
  onUpdate?: (ruleset: Ruleset) => void;
  /** Where exposures go (e.g. `createHttpSink`); without one nothing is logged and evaluation does no extra work. */
  exposureSink?: ExposureSink;
  /** Where `track` sends outcome events (the HTTP sink is one). */
  tracker?: EventTracker;
  /** Exposures remembered to log each unit × experiment × phase once (least recently seen forgotten first); 10,000. */
  exposureDedupSize?: number;
  /**
   * Sticky arms for these experiments (a bandit's): `assign` serves a unit the arm it got before in the
   * same phase, from `store`, when the arm still exists; new units are assigned by the current weights.
   */
  sticky?: { store: StickyStore; experiments: readonly string[] };
};

/** Where the url form gets its rulesets: the server's stream, and polling. */
export interface ServerSource {
  /** Default 30 s; 0 turns background updates (stream and polling) off: refresh() still fetches. */
  pollIntervalMs?: number;
  headers?: Record<string, string>;
  /**
   * Follow GET /v1/ruleset/stream (default true): a new ruleset arrives as soon as it is served, and
   * polling pauses while the stream is live; a server without it is polled.
   */
  stream?: boolean;
  /** The first delay before the stream is reopened; it doubles up to 60 s (1 s). */
  streamRetryMs?: number;
}

export interface Client {
  /**
   * Logs the exposure of an on_assignment experiment; for on_view, call `exposed()` on the result when
   * the variant is shown. Pass `{userId, sessionId}` as the unit for experiments whose unit is `session`.
   */
  assign(experiment: string, unit: UnitRef, attributes?: Attributes): Assignment;
  /**
   * A flag served by a rule of kind `experiment` over an on_assignment experiment logs that
   * exposure, unless `logExposure` is false (the OpenFeature provider logs from its hook instead).
   */
  evaluate(flag: string, unit: UnitRef, attributes?: Attributes, options?: { logExposure?: boolean }): FlagResult;
  /** Logs the exposure a flag result implies when an experiment rule of an on_assignment experiment served it. */
  logFlagExposure(result: FlagResult, unit: UnitRef, attributes?: Attributes): void;
  evaluateAll(unit: UnitRef, attributes?: Attributes): EvaluateAllResult;
  /**
   * Merges ranker A's and ranker B's lists for an interleaving experiment's enrolled unit, the same
   * for the same unit and `requestId` (interleave.ts), and logs the exposure of the list with the
   * team of each item unless `logExposure` is false; a unit not enrolled gets ranker A's list.
   */
  interleave(
    experiment: string,
    unit: UnitRef,
    rankingA: readonly string[],
    rankingB: readonly string[],
    options?: Omit<InterleaveOptions, "at"> & { logExposure?: boolean },
  ): InterleaveResult;
  /** The ruleset in use. */
  readonly ruleset: Ruleset;
  /** The diagnostics of the last rejected ruleset or failed fetch, if any since the last success. */
  readonly lastError: Diagnostic[] | undefined;
  /** Fetches now (url form); resolves true when a new ruleset was installed. */
  refresh(): Promise<boolean>;
  /** Sends an outcome event to the tracker; returns its eventId. Throws without a tracker. */
  track(event: TrackInput): string;
  /**
   * Records that the visitor `anonymousId` logged in as `userId` (docs/analysis.md#identity-stitching),
   * through the tracker; returns the call's id. Throws without a tracker that takes identify calls.
   */
  identify(anonymousId: string, userId: string): string;
  /** Resolves when the sinks have delivered (or given up on) everything queued. */
  flush(): Promise<void>;
  /** Stops polling, then flushes and closes the sinks. */
  close(): Promise<void>;
}

/** A user-fixable load problem; carries the diagnostics (the first one is the error's own). */
export class RulesetLoadError extends ExpError {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics[0]!);
    this.message = diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n");
    this.name = "RulesetLoadError";
  }
}

function load(input: unknown): Evaluator {
  const v = verifyRuleset(input);
  if (!v.value) throw new RulesetLoadError(v.diagnostics);
  return createEvaluator(v.value);
}

/** Resolves once the first ruleset is loaded and verified; rejects with RulesetLoadError otherwise. */
export async function createClient(options: ClientOptions): Promise<Client> {
  const now = options.now ?? Date.now;
  // A ruleset given or read once never changes; the url form keeps it current (ruleset-poller.ts).
  let source: RulesetPoller;
  const fixed = (evaluator: Evaluator) => ({ evaluator, lastError: undefined, refresh: async () => false, close() {} });

  if ("ruleset" in options) source = fixed(load(options.ruleset));
  else if ("file" in options) {
    let text: string;
    try {
      text = readFileSync(options.file, "utf8");
    } catch (err) {
      throw new RulesetLoadError([
        diagnostic(
          CONTRACT_CODES.fetchFailed,
          `Cannot read the ruleset file "${options.file}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); check the path.`,
        ),
      ]);
    }
    source = fixed(load(text));
  } else {
    source = await startRulesetPoller({
      ...options,
      fetch: (input, init) => fetch(input, init),
      load,
      rejected: (diagnostics) => new RulesetLoadError(diagnostics),
      follow:
        options.stream === false
          ? undefined
          : (endpoint, listener) =>
              followRulesetStream(
                {
                  url: `${endpoint.replace(/\/+$/, "")}/stream`,
                  headers: options.headers,
                  open: openNodeEventStream,
                  retryMs: options.streamRetryMs,
                },
                listener,
              ),
    });
  }

  const sink = options.exposureSink;
  const tracker = options.tracker;
  const dedup = sink ? new ExposureDedup(options.exposureDedupSize ?? 10_000) : undefined;
  // One logger per ruleset: it precomputes each experiment's mode and each flag's experiment rules.
  let logger: ExposureLogger | undefined;
  const loggerFor = (ev: Evaluator): ExposureLogger | undefined => {
    if (!sink) return undefined;
    if (!logger || logger.evaluator !== ev) logger = new ExposureLogger(ev, sink, dedup!, now);
    return logger;
  };
  const sinks = [...new Set([sink, tracker])].filter((x) => x !== undefined);
  const sticky = options.sticky;
  const stickyExperiments = new Set(sticky?.experiments ?? []);

  return {
    assign(experiment, unit, attributes) {
      const at = now();
      const ev = source.evaluator;
      const fresh = ev.assign(experiment, unit, attributes, at);
      const e = ev.ruleset.experiments[experiment];
      const r = sticky && e && stickyExperiments.has(experiment) ? stickyAssign(sticky.store, fresh, e) : fresh;
      const l = loggerFor(ev);
      return l ? l.assigned(r, at, unit) : withoutExposure(r);
    },
    evaluate(flag, unit, attributes, o) {
      const at = now();
      const ev = source.evaluator;
      const r = ev.evaluate(flag, unit, attributes, at);
      if (sink && mayLogExposure(r) && o?.logExposure !== false) loggerFor(ev)!.flagServed(flag, r, unit, attributes, at);
      return r;
    },
    logFlagExposure(r, unit, attributes) {
      if (sink && mayLogExposure(r)) loggerFor(source.evaluator)!.flagServed(r.flag, r, unit, attributes, now());
    },
    evaluateAll: (unit, attributes) => source.evaluator.evaluateAll(unit, attributes, now()),
    interleave(experiment, unit, rankingA, rankingB, options = {}) {
      const at = now();
      const ev = source.evaluator;
      const r = interleave(ev, experiment, unit, rankingA, rankingB, { ...options, at });
      if (sink && r.inExperiment && options.logExposure !== false)
        sink.exposure(interleavingExposure(r, userIdOf(unit), ev.ruleset.version, at));
      return r;
    },
    get ruleset() {
      return source.evaluator.ruleset;
    },
    get lastError() {
      return source.lastError;
    },
    refresh: () => source.refresh(),
    track(event) {
      if (!tracker) throw new TypeError(`track() needs a tracker: pass "tracker" (e.g. createHttpSink(...)) to createClient.`);
      const e = trackedEvent(event, now());
      tracker.track(e);
      return e.eventId;
    },
    identify(anonymousId, userId) {
      if (!tracker?.identify)
        throw new TypeError(
          `identify() needs a tracker that takes identify calls: pass "tracker" (e.g. createHttpSink(...)) to createClient.`,
        );
      const call = identifyCall(anonymousId, userId, now());
      tracker.identify(call);
      return call.identifyId;
    },
    async flush() {
      await Promise.all(sinks.map((x) => x.flush?.()));
    },
    async close() {
      source.close();
      await Promise.all(sinks.map((x) => x.flush?.()));
      await Promise.all(sinks.map((x) => x.close?.()));
    },
  };
}
