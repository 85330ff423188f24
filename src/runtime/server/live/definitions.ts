import type { Condition } from "../../../ruleset/types.js";
import type { MetricDesign } from "../../../stats/analysis-types.js";
import type { Correction } from "../../../stats/types.js";

/**
 * What the server needs to keep live statistics (docs/http-api.md#live-summary): per experiment,
 * its analysis settings and the metrics it reads, each reduced to the per-unit aggregates of the
 * events it counts. Plain JSON, compiled from the workspace when `exp serve` starts
 * (src/app/live-definitions.ts), so the server never reads the metric language itself.
 */
export interface LiveDefinitions {
  /** exp.yaml `defaults.srm_threshold`. */
  readonly srmThreshold: number;
  readonly experiments: Readonly<Record<string, LiveExperiment>>;
}

export interface LiveExperiment {
  readonly control: string;
  readonly alpha: number;
  readonly correction: Correction;
  /** The confidence sequence's tuning sample size (analysis `tuning_n`). */
  readonly tuningN?: number;
  /** A session experiment: its units are sessions, and events count by their session id. */
  readonly sessionUnit: boolean;
  /** QA override units (left out of the analysis, as `exp analyze` leaves them out). */
  readonly excludedUnits: readonly string[];
  /** Primary, secondary and guardrail metrics in the order `exp analyze` reports them. */
  readonly metrics: readonly LiveMetric[];
}

/** A metric the server can follow, or one it names with the reason it cannot. */
export type LiveMetric = LiveMetricPlan | UnavailableMetric;

export interface UnavailableMetric {
  readonly design: MetricDesign;
  /** Why the metric is not available live (ratio of a session experiment, quantile, …). */
  readonly unavailable: string;
}

export interface LiveMetricPlan {
  readonly design: MetricDesign;
  /** Events count in [first exposure, first exposure + window). */
  readonly windowMs: number;
  /** The per-unit aggregates the value reads, each over its own events. */
  readonly aggregates: readonly LiveAggregate[];
  /**
   * A unit's value from its aggregates: one value (`mean` shape), or the numerator and denominator
   * of a ratio metric, summed over units before dividing.
   */
  readonly value:
    { readonly shape: "mean"; readonly y: LiveValue } | { readonly shape: "ratio"; readonly num: LiveValue; readonly den: LiveValue };
}

/** Aggregates the server keeps per unit: each is a running count or sum (a mean keeps both). */
export type LiveAggregateFn = "count" | "sum" | "any" | "mean" | "min" | "max";

export interface LiveAggregate {
  readonly fn: LiveAggregateFn;
  readonly event: string;
  /** Absent for count and any; `value` is the event's value, any other name a property. */
  readonly property?: string;
  /**
   * The `where` filter as a runtime condition over the event's properties; `value`,
   * `days_since_exposure` and `hours_since_exposure` are attributes too when `whereReadsEvent`.
   */
  readonly where?: Condition;
  /** The filter reads the event's value or the time since exposure, not only its properties. */
  readonly whereReadsEvent?: boolean;
}

/** Arithmetic over a unit's aggregates; a division by zero leaves the unit without a value. */
export type LiveValue =
  | { readonly op: "agg"; readonly index: number }
  | { readonly op: "num"; readonly value: number }
  | { readonly op: "neg"; readonly arg: LiveValue }
  | { readonly op: "+" | "-" | "*" | "/"; readonly args: readonly [LiveValue, LiveValue] };

export function isAvailable(m: LiveMetric): m is LiveMetricPlan {
  return !("unavailable" in m);
}
