import type { Evaluator } from "../evaluator.js";
import type { AlertKind } from "./alerts/alert.js";
import type { DeliveryOutcome } from "./alerts/webhook.js";
import type { ExposureCounts } from "./exposure-counts.js";

/** Request latency buckets, in seconds: from a cached ruleset GET to a slow publish. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Ingest lag buckets, in seconds: from a record sent as it happens to one a week late. */
export const INGEST_LAG_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 21600, 86400, 604800] as const;

type Labels = Record<string, string>;

/** One histogram (request latency, ingest lag): counts per bucket (not yet cumulative), the sum and the count. */
interface Histogram {
  /** The JSON of the labels: the exposition lists series in its order. */
  key: string;
  labels: Labels;
  buckets: number[];
  sum: number;
  count: number;
}

/** One counter series; `key` as for Histogram. */
interface Counter {
  key: string;
  labels: Labels;
  n: number;
}

/** The series of one method and route: its latency histogram and a request counter per status. */
interface RouteSeries {
  latency: Histogram;
  statuses: Map<number, Counter>;
}

/**
 * The server's Prometheus metrics (text exposition format 0.0.4): requests by route template and
 * status with a latency histogram per route, assignments and exposures per experiment and variant,
 * and a few counters and gauges. Label values are escaped, so any route or key is safe to expose.
 * Series are found through maps keyed by their label values, so counting a request or an
 * assignment allocates nothing once its series exists.
 */
export class ServerMetrics {
  /** Method → route template → series. */
  private readonly routes = new Map<string, Map<string, RouteSeries>>();
  /** The series the last request was counted in: a busy route's next request most often has the same. */
  private lastRequest?: { method: string; route: string; status: number; latency: Histogram; counter: Counter };
  /** Experiment → variant → enrolments. */
  private readonly assignments = new Map<string, Map<string, Counter>>();
  evaluations = 0;
  exposures = 0;
  events = 0;
  rulesetVersion = 0;
  reloads = 0;
  compactedSegments = 0;
  compactionFailures = 0;
  quarantined = 0;
  /** Rows compaction purged as older than the retention. */
  expiredRows = 0;
  fsyncs = 0;
  /** Records dropped for want of consent (consent: false, or an opted-out unit), by kind. */
  readonly withoutConsent = { exposures: 0, events: 0, identities: 0 };
  /** Ids held for deduplication (bounded by the window). */
  dedupIds = 0;
  /** Records answered "duplicate", by kind. */
  readonly duplicates = { exposures: 0, events: 0 };
  /** Alerts raised (after deduplication), by kind. */
  private readonly alertsRaised = new Map<AlertKind, number>();
  /** Alert deliveries by webhook and outcome. */
  private readonly alertDeliveries = new Map<string, Record<DeliveryOutcome, number>>();
  private readonly ingestLag = {
    exposures: emptyHistogram({ kind: "exposures" }, INGEST_LAG_BUCKETS),
    events: emptyHistogram({ kind: "events" }, INGEST_LAG_BUCKETS),
  };

  /** One request answered: `route` is the route template (`/v1/ruleset/versions/{version}`), or "unmatched". */
  request(method: string, route: string, status: number, seconds: number): void {
    const last = this.lastRequest;
    if (last !== undefined && last.route === route && last.status === status && last.method === method) {
      last.counter.n++;
      return observe(last.latency, LATENCY_BUCKETS, seconds);
    }
    let byRoute = this.routes.get(method);
    if (!byRoute) this.routes.set(method, (byRoute = new Map()));
    let r = byRoute.get(route);
    if (!r) byRoute.set(route, (r = routeSeries(method, route)));
    let c = r.statuses.get(status);
    if (c) c.n++;
    else r.statuses.set(status, (c = counter({ method, route, status: String(status) })));
    observe(r.latency, LATENCY_BUCKETS, seconds);
    this.lastRequest = { method, route, status, latency: r.latency, counter: c };
  }

  /**
   * Records of a kind that reached the sink (after consent): how far each one's `ts` lags behind
   * `now` (a late record shows in the top buckets), and how many of them were duplicates.
   */
  ingested(kind: "exposures" | "events", timestamps: readonly string[], now: number, duplicates: number): void {
    for (const ts of timestamps) observe(this.ingestLag[kind], INGEST_LAG_BUCKETS, Math.max(0, (now - Date.parse(ts)) / 1000));
    this.duplicates[kind] += duplicates;
  }

  alertRaised(kind: AlertKind): void {
    this.alertsRaised.set(kind, (this.alertsRaised.get(kind) ?? 0) + 1);
  }

  /** One alert sent to a webhook, an attempt retried, an alert given up (failed), or one dropped from a full queue. */
  alertDelivery(webhook: string, outcome: DeliveryOutcome): void {
    let byOutcome = this.alertDeliveries.get(webhook);
    if (!byOutcome) this.alertDeliveries.set(webhook, (byOutcome = { sent: 0, retried: 0, failed: 0, dropped: 0 }));
    byOutcome[outcome]++;
  }

  /** A unit assigned to a variant (enrolled) by the server's evaluator. */
  assigned(experiment: string, variant: string): void {
    let byVariant = this.assignments.get(experiment);
    if (!byVariant) this.assignments.set(experiment, (byVariant = new Map()));
    const c = byVariant.get(variant);
    if (c) c.n++;
    else byVariant.set(variant, counter({ experiment, variant }));
  }

  /** The exposition; `exposures` adds the per-variant exposure series, `guards` the guard states. */
  render(exposures?: ExposureCounts, guards?: readonly GuardSample[]): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    const sample = (name: string, labels: Labels, value: number) => out.push(`${name}${labelSet(labels)} ${formatValue(value)}`);
    const histogram = (name: string, h: Histogram, bounds: readonly number[]) => {
      let cumulative = 0;
      bounds.forEach((le, i) => {
        cumulative += h.buckets[i]!;
        sample(`${name}_bucket`, { ...h.labels, le: String(le) }, cumulative);
      });
      sample(`${name}_bucket`, { ...h.labels, le: "+Inf" }, h.count);
      sample(`${name}_sum`, h.labels, h.sum);
      sample(`${name}_count`, h.labels, h.count);
    };
    const routes = [...this.routes.values()].flatMap((byRoute) => [...byRoute.values()]);
    family("exp_requests_total", "counter", "HTTP requests by method, route template and status.");
    for (const { labels, n } of sorted(routes.flatMap((r) => [...r.statuses.values()]))) sample("exp_requests_total", labels, n);
    family("exp_request_duration_seconds", "histogram", "HTTP request latency by method and route template.");
    for (const h of sorted(routes.map((r) => r.latency))) histogram("exp_request_duration_seconds", h, LATENCY_BUCKETS);
    family("exp_assignments_total", "counter", "Units enrolled by the server's evaluator, by experiment and variant.");
    const assignments = [...this.assignments.values()].flatMap((byVariant) => [...byVariant.values()]);
    for (const { labels, n } of sorted(assignments)) sample("exp_assignments_total", labels, n);
    if (exposures) {
      const variants = exposures.variants();
      family("exp_variant_exposures_total", "counter", "Exposures accepted, by experiment and variant.");
      for (const v of variants) sample("exp_variant_exposures_total", { experiment: v.experiment, variant: v.variant }, v.exposures);
      family("exp_variant_exposed_units", "gauge", "Distinct units exposed since the server started, by experiment and variant.");
      for (const v of variants) sample("exp_variant_exposed_units", { experiment: v.experiment, variant: v.variant }, v.units);
    }
    if (guards) {
      family(
        "exp_guard_state",
        "gauge",
        "Guard state: 0 collecting units, 1 watching, 2 breached (and acted on), by guard key and target.",
      );
      for (const g of guards) sample("exp_guard_state", { guard: g.key, target: g.target }, GUARD_STATES[g.state]);
    }
    const single: [string, string, string, number][] = [
      ["exp_evaluations_total", "counter", "Evaluation requests answered.", this.evaluations],
      ["exp_exposures_total", "counter", "Exposures accepted.", this.exposures],
      ["exp_events_total", "counter", "Events accepted.", this.events],
      ["exp_ruleset_version", "gauge", "Version of the ruleset being served.", this.rulesetVersion],
      ["exp_ruleset_reloads_total", "counter", "Rulesets installed.", this.reloads],
      ["exp_ingest_fsyncs_total", "counter", "Group-commit fsyncs of the ingest segments.", this.fsyncs],
      ["exp_compacted_segments_total", "counter", "Segments compacted into Parquet.", this.compactedSegments],
      ["exp_compaction_failures_total", "counter", "Compaction runs that failed.", this.compactionFailures],
      ["exp_quarantined_lines_total", "counter", "Segment lines quarantined by compaction.", this.quarantined],
      ["exp_retention_purged_rows_total", "counter", "Rows compaction purged as older than the retention.", this.expiredRows],
      ["exp_dedup_ids", "gauge", "Ids held for deduplication.", this.dedupIds],
      ["process_resident_memory_bytes", "gauge", "Resident memory of the server process.", process.memoryUsage.rss()],
    ];
    for (const [name, type, help, value] of single) {
      family(name, type, help);
      sample(name, {}, value);
    }
    family(
      "exp_consent_dropped_total",
      "counter",
      "Exposures and events dropped without being stored: consent false, or an opted-out unit.",
    );
    sample("exp_consent_dropped_total", { kind: "exposures" }, this.withoutConsent.exposures);
    sample("exp_consent_dropped_total", { kind: "events" }, this.withoutConsent.events);
    sample("exp_consent_dropped_total", { kind: "identities" }, this.withoutConsent.identities);
    family("exp_ingest_duplicates_total", "counter", "Exposures and events answered as duplicates of ones already stored.");
    sample("exp_ingest_duplicates_total", { kind: "exposures" }, this.duplicates.exposures);
    sample("exp_ingest_duplicates_total", { kind: "events" }, this.duplicates.events);
    family(
      "exp_ingest_lag_seconds",
      "histogram",
      "Seconds from a record's own ts to its arrival at the server, for every exposure and event that passed consent (duplicates included).",
    );
    histogram("exp_ingest_lag_seconds", this.ingestLag.exposures, INGEST_LAG_BUCKETS);
    histogram("exp_ingest_lag_seconds", this.ingestLag.events, INGEST_LAG_BUCKETS);
    family("exp_alerts_total", "counter", "Alerts raised (a persisting condition counts once per repeat interval), by kind.");
    for (const [kind, n] of [...this.alertsRaised].sort()) sample("exp_alerts_total", { kind }, n);
    const deliveries = [...this.alertDeliveries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const outcomes: [DeliveryOutcome, string, string][] = [
      ["sent", "exp_alerts_sent_total", "Alerts a webhook accepted, by webhook."],
      ["failed", "exp_alerts_failed_total", "Alerts given up after the last retry or refused by the webhook, by webhook."],
      ["dropped", "exp_alerts_dropped_total", "Alerts dropped because the webhook's queue was full, by webhook."],
      ["retried", "exp_alert_retries_total", "Alert deliveries that failed and were tried again, by webhook."],
    ];
    for (const [outcome, name, help] of outcomes) {
      family(name, "counter", help);
      for (const [webhook, byOutcome] of deliveries) sample(name, { webhook }, byOutcome[outcome]);
    }
    return `${out.join("\n")}\n`;
  }
}

/**
 * The evaluator with its enrolments counted per experiment and variant: the one place every
 * server assignment passes through, so the route handlers need not count them.
 */
export function countingAssignments(evaluator: Evaluator, metrics: ServerMetrics): Evaluator {
  return {
    ruleset: evaluator.ruleset,
    hasExperiment: (key) => evaluator.hasExperiment(key),
    hasFlag: (key) => evaluator.hasFlag(key),
    evaluate: (flag, unit, attrs, at) => evaluator.evaluate(flag, unit, attrs, at),
    assign(experiment, unit, attrs, at) {
      const r = evaluator.assign(experiment, unit, attrs, at);
      if (r.inExperiment && r.variant !== null) metrics.assigned(experiment, r.variant);
      return r;
    },
    evaluateAll(unit, attrs, at) {
      const all = evaluator.evaluateAll(unit, attrs, at);
      for (const [experiment, r] of Object.entries(all.experiments))
        if (r.inExperiment && r.variant !== null) metrics.assigned(experiment, r.variant);
      return all;
    },
  };
}

function counter(labels: Labels): Counter {
  return { key: JSON.stringify(labels), labels, n: 1 };
}

function routeSeries(method: string, route: string): RouteSeries {
  const labels = { method, route };
  return { latency: emptyHistogram(labels, LATENCY_BUCKETS, `${method} ${route}`), statuses: new Map() };
}

function emptyHistogram(labels: Labels, bounds: readonly number[], key = JSON.stringify(labels)): Histogram {
  return { key, labels, buckets: bounds.map(() => 0), sum: 0, count: 0 };
}

/** Counts `value` in the first bucket it falls in (past the last, only +Inf counts it). */
function observe(h: Histogram, bounds: readonly number[], value: number): void {
  for (let i = 0; i < bounds.length; i++)
    if (value <= bounds[i]!) {
      h.buckets[i]!++;
      break;
    }
  h.sum += value;
  h.count++;
}

function sorted<T extends { key: string }>(series: T[]): T[] {
  return series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function labelSet(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** A label value per the exposition format: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** HELP text escapes backslash and line feed (a double quote stays). */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/** One guard as the exp_guard_state series shows it. */
export interface GuardSample {
  key: string;
  target: "experiment" | "flag";
  state: keyof typeof GUARD_STATES;
}

const GUARD_STATES = { collecting: 0, watching: 1, breached: 2 } as const;
