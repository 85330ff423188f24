/**
 * Sufficient statistics per variant (what the SQL layer produces) and the result
 * shapes of the stats engine. All plain readonly data.
 */

/** Conversion, count, sum and mean metrics: per-unit values (zero-filled where docs/analysis.md says so). */
export interface MeanStats {
  readonly kind: "mean";
  readonly n: number;
  readonly sum: number;
  readonly sumSq: number;
}

/** Ratio metrics: per-unit numerator and denominator. */
export interface RatioStats {
  readonly kind: "ratio";
  readonly n: number;
  readonly sumNum: number;
  readonly sumDen: number;
  readonly sumNum2: number;
  readonly sumDen2: number;
  readonly sumNumDen: number;
}

/** A metric Y with its pre-period covariate X (the same metric over the CUPED lookback). */
export interface CupedStats {
  readonly kind: "cuped";
  readonly n: number;
  readonly sumY: number;
  readonly sumY2: number;
  readonly sumX: number;
  readonly sumX2: number;
  readonly sumXY: number;
}

/**
 * A metric Y with several covariates X₁…X_k (docs/analysis.md#multiple-covariates): the sums and every
 * cross product a regression of Y on the covariates needs. `sumXX` is the full symmetric k × k matrix.
 */
export interface CupacStats {
  readonly kind: "cupac";
  /** What each covariate is, in column order (the metric's own pre-period first). */
  readonly covariates: readonly string[];
  readonly n: number;
  readonly sumY: number;
  readonly sumY2: number;
  readonly sumX: readonly number[];
  readonly sumXY: readonly number[];
  readonly sumXX: readonly (readonly number[])[];
}

/**
 * A ratio metric with its pre-period covariate: the same numerator and denominator over the CUPED
 * lookback (pre*), their squares and every cross product with the in-window numerator/denominator.
 */
export interface RatioCupedStats extends Omit<RatioStats, "kind"> {
  readonly kind: "ratio_cuped";
  readonly sumPreNum: number;
  readonly sumPreDen: number;
  readonly sumPreNum2: number;
  readonly sumPreDen2: number;
  readonly sumPreNumPreDen: number;
  readonly sumNumPreNum: number;
  readonly sumNumPreDen: number;
  readonly sumDenPreNum: number;
  readonly sumDenPreDen: number;
}

/**
 * A unit's events around a quantile estimate, summed over the units of an arm (docs/analysis.md):
 * per unit, `events` is its number of events and `below` how many of them are at or below the
 * arm's sample quantile. These give the variance of the share of events below the quantile under
 * clustering by unit, which is what makes a quantile's standard error honest when a unit has
 * several events (page loads, say) that resemble each other.
 */
export interface QuantileClusters {
  /** Units with at least one event. */
  readonly units: number;
  /** Σ below. */
  readonly sumBelow: number;
  /** Σ below². */
  readonly sumBelow2: number;
  /** Σ events² (Σ events is the quantile's `n`). */
  readonly sumEvents2: number;
  /** Σ below · events. */
  readonly sumBelowEvents: number;
}

/**
 * Quantile metrics over events: `value` is the sample quantile, `lower`/`upper` the order
 * statistics at ranks n·q ∓ 1.959964·sqrt(n·q·(1−q)) (clamped to [1, n] by the SQL). `clusters`
 * carries the per-unit sums that adjust the standard error for several events per unit; without
 * it the events are taken as independent (one event per unit).
 */
export interface QuantileStats {
  readonly kind: "quantile";
  readonly n: number;
  readonly quantile: number;
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
  readonly clusters?: QuantileClusters;
}

/**
 * A per-session metric of a session experiment whose standard errors are clustered by user
 * (docs/analysis.md). Per user cluster c of this arm: s_c is the sum of its sessions' values and n_c
 * their number. The cross sums pair each user's cluster here with the same user's control cluster
 * (zero where the user has none), because a user's sessions can land in several arms.
 */
export interface ClusteredStats {
  readonly kind: "clustered";
  /** Sessions with a value: Σ n_c. */
  readonly n: number;
  /** Σ s_c. */
  readonly sum: number;
  /** Users with at least one session in the arm. */
  readonly clusters: number;
  readonly sumS2: number;
  readonly sumN2: number;
  readonly sumSN: number;
  /** Users with sessions in both this arm and control. */
  readonly shared: number;
  /** Σ s_c·s'_c, Σ s_c·n'_c, Σ n_c·s'_c, Σ n_c·n'_c with ' the user's control cluster. */
  readonly crossSS: number;
  readonly crossSN: number;
  readonly crossNS: number;
  readonly crossNN: number;
}

export type SufficientStats = MeanStats | RatioStats | CupedStats | CupacStats | RatioCupedStats | QuantileStats | ClusteredStats;

/** Why a number could not be computed; data problems never throw. */
export type StatsCode =
  | "OK"
  | "EMPTY_ARM"
  | "TOO_FEW_UNITS"
  | "TOO_FEW_EVENTS"
  | "ZERO_VARIANCE"
  | "NEGATIVE_VARIANCE"
  | "ZERO_CONTROL_MEAN"
  | "ZERO_DENOMINATOR"
  | "INVALID_INPUT";

/** Mean and variance of one arm's estimate; `variance` is per unit, so variance / n is the squared SE. */
export interface ArmSummary {
  readonly n: number;
  readonly mean: number;
  readonly variance: number;
}

export type Interval = readonly [number, number];

/** A two-arm comparison (treatment vs control). Numbers are NaN when `code` is not "OK". */
export interface Comparison {
  readonly code: StatsCode;
  readonly diff: number;
  readonly diffCi: Interval;
  readonly relLift: number;
  readonly relCi: Interval;
  readonly pValue: number;
  /** Standard error of the absolute difference. */
  readonly se: number;
  /** Delta-method standard error of the relative lift. */
  readonly relSe: number;
  /** Degrees of freedom used (Infinity for normal inference). */
  readonly df: number;
}

export type Direction = "increase" | "decrease";
export type Correction = "none" | "bh" | "holm" | "bonferroni";
export type Method = "fixed" | "sequential" | "group_sequential" | "bayesian";
export type Tier = "primary" | "secondary" | "guardrail";
export type MetricKind = "conversion" | "count" | "sum" | "mean" | "min" | "max" | "count_distinct" | "ratio" | "quantile";
