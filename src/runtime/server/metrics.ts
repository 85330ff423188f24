import type { Evaluator } from "../evaluator.js";
import type { ExposureCounts } from "./exposure-counts.js";

/** Request latency buckets, in seconds: from a cached ruleset GET to a slow publish. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

type Labels = Record<string, string>;

/** One latency histogram: counts per bucket (not yet cumulative), the sum and the count. */
interface Latency {
  labels: Labels;
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * The server's Prometheus metrics (text exposition format 0.0.4): requests by route template and
 * status with a latency histogram per route, assignments and exposures per experiment and variant,
 * and a few counters and gauges. Label values are escaped, so any route or key is safe to expose.
 */
export class ServerMetrics {
  private readonly requests = new Map<string, { labels: Labels; n: number }>();
  private readonly latency = new Map<string, Latency>();
  private readonly assignments = new Map<string, { labels: Labels; n: number }>();
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

  /** One request answered: `route` is the route template (`/v1/ruleset/versions/{version}`), or "unmatched". */
  request(method: string, route: string, status: number, seconds: number): void {
    bump(this.requests, { method, route, status: String(status) });
    const key = `${method} ${route}`;
    let h = this.latency.get(key);
    if (!h) this.latency.set(key, (h = { labels: { method, route }, buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    const i = LATENCY_BUCKETS.findIndex((le) => seconds <= le);
    if (i >= 0) h.buckets[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** A unit assigned to a variant (enrolled) by the server's evaluator. */
  assigned(experiment: string, variant: string): void {
    bump(this.assignments, { experiment, variant });
  }

  /** The exposition; `exposures` adds the per-variant exposure series. */
  render(exposures?: ExposureCounts): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    const sample = (name: string, labels: Labels, value: number) => out.push(`${name}${labelSet(labels)} ${formatValue(value)}`);

    family("exp_requests_total", "counter", "HTTP requests by method, route template and status.");
    for (const { labels, n } of sorted(this.requests)) sample("exp_requests_total", labels, n);
    family("exp_request_duration_seconds", "histogram", "HTTP request latency by method and route template.");
    for (const h of sorted(this.latency)) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((le, i) => {
        cumulative += h.buckets[i]!;
        sample("exp_request_duration_seconds_bucket", { ...h.labels, le: String(le) }, cumulative);
      });
      sample("exp_request_duration_seconds_bucket", { ...h.labels, le: "+Inf" }, h.count);
      sample("exp_request_duration_seconds_sum", h.labels, h.sum);
      sample("exp_request_duration_seconds_count", h.labels, h.count);
    }
    family("exp_assignments_total", "counter", "Units enrolled by the server's evaluator, by experiment and variant.");
    for (const { labels, n } of sorted(this.assignments)) sample("exp_assignments_total", labels, n);
    if (exposures) {
      const variants = exposures.variants();
      family("exp_variant_exposures_total", "counter", "Exposures accepted, by experiment and variant.");
      for (const v of variants) sample("exp_variant_exposures_total", { experiment: v.experiment, variant: v.variant }, v.exposures);
      family("exp_variant_exposed_units", "gauge", "Distinct units exposed since the server started, by experiment and variant.");
      for (const v of variants) sample("exp_variant_exposed_units", { experiment: v.experiment, variant: v.variant }, v.units);
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

function bump(series: Map<string, { labels: Labels; n: number }>, labels: Labels): void {
  const key = JSON.stringify(labels);
  const s = series.get(key);
  if (s) s.n++;
  else series.set(key, { labels, n: 1 });
}

function sorted<T>(series: Map<string, T>): T[] {
  return [...series].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
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
