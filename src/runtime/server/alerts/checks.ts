import type { Ruleset, RulesetExperiment } from "../../../ruleset/types.js";
import { srmCheck } from "../../../stats/srm.js";
import type { Timers } from "../../sdk/send-queue.js";
import type { ExposureCounts } from "../exposure-counts.js";
import type { ServerLog } from "../server-log.js";
import { percent } from "./alert.js";
import type { Alerts } from "./alerts.js";
import { DEFAULT_INGEST_ANOMALY, IngestRates, type IngestAnomalyRule, type RateFinding } from "./ingest-rates.js";

/** How the server's own checks run (exp.yaml `defaults.srm_threshold` and `alerts.ingest_anomaly`). */
export interface AlertCheckOptions {
  /** A sample ratio with a p-value below this is a mismatch (0.001). */
  srmThreshold?: number;
  ingestAnomaly?: IngestAnomalyRule;
  /** How often the checks run (30,000 ms). */
  checkEveryMs?: number;
}

export const DEFAULT_CHECK_EVERY_MS = 30_000;

/** What the checks read from the server: counters it keeps anyway. */
export interface WatchedServer {
  ruleset(): Ruleset | undefined;
  /** Exposures since the server started, for the ingestion rates. */
  exposures: ExposureCounts;
  /**
   * The distinct units exposed to each of the experiment's variants, in its order: of its current
   * `phase` when the server keeps live statistics (they survive a restart), else since the server
   * started (no `phase`).
   */
  unitsExposed(key: string, e: RulesetExperiment): { units: number[]; phase?: number };
  /** Events accepted since the server started. */
  events(): number;
  /** Bandits: their weights move by design, so their sample ratio is not checked. */
  sticky: ReadonlySet<string>;
}

const ANOMALIES = ["drop", "spike"] as const;

/**
 * The server's periodic alert checks, on the injected timers and clock: the sample ratio of every
 * running experiment (the distinct units exposed per variant, against its weights) and the
 * ingestion rate of every running experiment's exposures and of the event stream. Each condition
 * found is raised through `Alerts.notify`, and resolved when a check no longer finds it, so that a
 * persisting one alerts once per `repeat_after`.
 */
export class AlertChecks {
  private readonly rates: IngestRates;
  private readonly srmThreshold: number;
  private readonly everyMs: number;
  /** The weights each experiment (or phase) was first checked with: its counts mix allocations once they change. */
  private readonly weightsChecked = new Map<string, string>();
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly alerts: Alerts,
    private readonly server: WatchedServer,
    o: AlertCheckOptions,
    private readonly now: () => number,
    private readonly timers: Timers,
    private readonly log: ServerLog,
  ) {
    this.rates = new IngestRates(o.ingestAnomaly ?? DEFAULT_INGEST_ANOMALY);
    this.srmThreshold = o.srmThreshold ?? 0.001;
    this.everyMs = o.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS;
  }

  /** Runs the checks every `checkEveryMs` until `stop`. */
  start(): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.check();
      this.start();
    }, this.everyMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pass of every check at the server's clock. A failure is logged: it must not end the checks. */
  check(): void {
    try {
      const now = this.now();
      const running = Object.entries(this.server.ruleset()?.experiments ?? {}).filter(([, e]) => isRunning(e, now));
      for (const [key, e] of running) if (!this.server.sticky.has(key)) this.checkSampleRatio(key, e);
      this.checkIngestion(running, now);
    } catch (err) {
      this.log.error("the alert checks failed", { error: err });
    }
  }

  private checkSampleRatio(key: string, e: RulesetExperiment): void {
    const weights = e.variants.map((v) => v.weight);
    const { units, phase } = this.server.unitsExposed(key, e);
    // A new phase re-randomises: its counts start afresh, and so does the allocation they are held to.
    const basis = phase === undefined ? key : `${key} phase ${phase}`;
    const checked = this.weightsChecked.get(basis);
    if (checked === undefined) this.weightsChecked.set(basis, String(weights));
    else if (checked !== String(weights)) return;
    const srm = srmCheck(units, weights, this.srmThreshold);
    const condition = { kind: "srm", experiment: key } as const;
    if (srm.ok) return this.alerts.resolve(condition);
    const total = weights.reduce((a, w) => a + w, 0);
    const listed = e.variants.map((v, i) => `${v.key} ${units[i]} (${percent(v.weight / total)})`).join(", ");
    this.alerts.notify({
      ...condition,
      summary: `the units exposed per variant (${listed}) do not match the weights: p = ${srm.pValue.toPrecision(2)}, below srm_threshold ${this.srmThreshold}`,
      details: {
        ...(phase === undefined ? {} : { phase }),
        p_value: srm.pValue,
        chi2: srm.chi2,
        threshold: this.srmThreshold,
        units: Object.fromEntries(e.variants.map((v, i) => [v.key, units[i]])),
        weights: Object.fromEntries(e.variants.map((v) => [v.key, v.weight / total])),
      },
    });
  }

  private checkIngestion(running: [string, RulesetExperiment][], now: number): void {
    const exposures = new Map<string, number>();
    for (const v of this.server.exposures.variants()) exposures.set(v.experiment, (exposures.get(v.experiment) ?? 0) + v.exposures);
    const kept = new Set<string>(["events"]);
    this.judge(undefined, "events", "events", this.server.events(), now);
    for (const [key, e] of running) {
      // A new phase or a new traffic share changes the volume by design: it starts a new series.
      const series = `exposures ${key} ${e.phase} ${e.traffic}`;
      kept.add(series);
      this.judge(key, series, "exposures", exposures.get(key) ?? 0, now);
    }
    this.rates.retain(kept);
  }

  private judge(experiment: string | undefined, series: string, what: "exposures" | "events", total: number, now: number): void {
    const finding = this.rates.judge(series, total, now);
    if (!finding) return;
    for (const subject of ANOMALIES) if (subject !== finding.anomaly) this.alerts.resolve({ kind: "ingest_anomaly", experiment, subject });
    if (finding.anomaly) this.alerts.notify(anomalyNotice(experiment, what, finding));
  }
}

function anomalyNotice(experiment: string | undefined, what: "exposures" | "events", f: RateFinding) {
  const stream = experiment === undefined ? "the event stream" : `the exposures of "${experiment}"`;
  const moved = f.anomaly === "drop" ? "dropped" : "spiked";
  return {
    kind: "ingest_anomaly" as const,
    experiment,
    subject: f.anomaly,
    summary: `${stream} ${moved} to ${perMinute(f.recentPerMinute)} a minute, from ${perMinute(f.baselinePerMinute)} a minute before`,
    details: {
      records: what,
      anomaly: f.anomaly,
      recent_per_minute: f.recentPerMinute,
      baseline_per_minute: f.baselinePerMinute,
      baseline_records: f.baselineCount,
    },
  };
}

/** Running now: the status says so and the instant is inside its schedule ([start, end)). */
function isRunning(e: RulesetExperiment, now: number): boolean {
  if (e.status !== "running") return false;
  if (e.schedule.start !== undefined && now < Date.parse(e.schedule.start)) return false;
  return e.schedule.end === undefined || now < Date.parse(e.schedule.end);
}

function perMinute(rate: number): string {
  return rate >= 10 ? String(Math.round(rate)) : rate.toFixed(1);
}
