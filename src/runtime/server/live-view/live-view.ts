import type { ServerState } from "../state.js";
import { ExposureSeries } from "./exposure-series.js";
import { NO_PROVIDERS, type LiveProviders } from "./providers.js";
import { buildSnapshot, type LiveSnapshot } from "./snapshot.js";

export interface LiveViewOptions {
  /** Live metric statistics and guard states; absent ones show as not available / no guards. */
  providers?: Partial<LiveProviders>;
  /** How often (real time) the server looks for a change to push to open streams. */
  pushEveryMs?: number;
  /** How often (server clock) exposures per variant are sampled for the time series. */
  sampleEveryMs?: number;
  /** Samples kept per series: 360 at 10 s is an hour. */
  samples?: number;
  /** The p-value below which SRM is flagged: the workspace's `srm_threshold`. */
  srmThreshold?: number;
  /** Audit records shown, newest first. */
  auditTail?: number;
  /** How long a token for the stream is valid (server clock). */
  tokenTtlMs?: number;
}

export const LIVE_VIEW_DEFAULTS = {
  pushEveryMs: 1_000,
  sampleEveryMs: 10_000,
  samples: 360,
  srmThreshold: 0.001,
  auditTail: 20,
  tokenTtlMs: 10 * 60_000,
} as const;

type Listener = (snapshot: LiveSnapshot) => void;

/**
 * The state behind the live view: the exposure time series, and the open streams. One timer
 * samples the series and, while a stream is open, builds one snapshot for all of them and pushes it
 * when it differs from the last one pushed (and at once when a ruleset is installed).
 */
export class LiveView {
  readonly series: ExposureSeries;
  readonly tokenTtlMs: number;
  private readonly providers: LiveProviders;
  private readonly metricsAvailable: boolean;
  private readonly srmThreshold: number;
  private readonly auditTail: number;
  /** Each open stream and the content (a snapshot without its time) it was sent last. */
  private readonly listeners = new Map<Listener, string>();
  private pushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly stopInstalls: () => void;

  constructor(
    private readonly state: ServerState,
    o: LiveViewOptions = {},
  ) {
    const d = { ...LIVE_VIEW_DEFAULTS, ...o };
    this.series = new ExposureSeries(state.exposures, d.sampleEveryMs, d.samples);
    this.tokenTtlMs = d.tokenTtlMs;
    this.providers = { ...NO_PROVIDERS, ...o.providers };
    this.metricsAvailable = o.providers?.metrics !== undefined;
    this.srmThreshold = d.srmThreshold;
    this.auditTail = d.auditTail;
    this.series.sample(state.now());
    this.timer = setInterval(() => void this.tick(), d.pushEveryMs);
    this.timer.unref();
    this.stopInstalls = state.rulesets.onInstall(() => void this.tick());
  }

  snapshot(): Promise<LiveSnapshot> {
    this.series.sample(this.state.now());
    return buildSnapshot({
      state: this.state,
      series: this.series,
      providers: this.providers,
      metricsAvailable: this.metricsAvailable,
      srmThreshold: this.srmThreshold,
      auditTail: this.auditTail,
    });
  }

  /** Calls `listener` with a snapshot now and with each changed one; returns what stops it. */
  async subscribe(listener: Listener): Promise<() => void> {
    const snapshot = await this.snapshot();
    listener(snapshot);
    this.listeners.set(listener, content(snapshot));
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearInterval(this.timer);
    this.stopInstalls();
    this.listeners.clear();
  }

  /** Samples, and pushes a changed snapshot to the open streams; a tick still building one is not doubled. */
  private tick(): Promise<void> {
    this.series.sample(this.state.now());
    if (this.listeners.size === 0 || this.pushing) return this.pushing ?? Promise.resolve();
    this.pushing = this.snapshot()
      .then((snapshot) => {
        const text = content(snapshot);
        // Per stream: one that opened since the last change already has this content.
        for (const [listener, sent] of this.listeners) {
          if (sent === text) continue;
          this.listeners.set(listener, text);
          listener(snapshot);
        }
      })
      .catch((err: unknown) => this.state.log.warn("the live view could not build a snapshot; it tries again", { error: err }))
      .finally(() => (this.pushing = undefined));
    return this.pushing;
  }
}

/** What a snapshot says, without the time it was built at: equal text, nothing new to push. */
function content(snapshot: LiveSnapshot): string {
  const { generatedAt: _at, ...rest } = snapshot;
  return JSON.stringify(rest);
}
