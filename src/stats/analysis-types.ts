import type { NormalPrior } from "./bayesian.js";
import type { Spending } from "./group-sequential.js";
import type { FactorialJson } from "./factorial.js";
import type { DimensionInput, DimensionJson } from "./dimensions.js";
import type { FairnessInput, FairnessJson } from "./fairness.js";
import type { Correction, Direction, Method, MetricKind, StatsCode, SufficientStats, Tier } from "./types.js";

/** The design and the per-variant sufficient statistics that analyzeStats consumes. */
export interface VariantDesign {
  readonly key: string;
  readonly weight: number;
}

export interface MetricDesign {
  readonly metric: string;
  readonly tier: Tier;
  readonly kind: MetricKind;
  /** Default "increase". */
  readonly direction?: Direction;
  /** Relative non-inferiority margin for guardrails, e.g. 0.01 for 1%. */
  readonly maxRegression?: number;
  /** Use the pre-period covariate when the statistics carry one (CupedStats). Default true. */
  readonly cuped?: boolean;
  /**
   * Conversions only: "z" replaces Welch's t by the pooled two-proportion z-test (p-value) with a
   * Wald interval. Default "welch" (docs/analysis.md item 5). Ignored when CUPED applies.
   */
  readonly test?: "welch" | "z";
}

export interface AnalysisInput {
  readonly experiment: string;
  readonly phase: number;
  readonly method: Method;
  readonly alpha: number;
  readonly correction: Correction;
  readonly srmThreshold: number;
  readonly control: string;
  /** In declaration order; the order of comparisons follows it. */
  readonly variants: readonly VariantDesign[];
  /** In declaration order within each tier. */
  readonly metrics: readonly MetricDesign[];
  /** Units per variant after exclusions. */
  readonly units: Readonly<Record<string, number>>;
  readonly multipleExposures: number;
  /** stats[metric][variant]. */
  readonly stats: Readonly<Record<string, Readonly<Record<string, SufficientStats>>>>;
  /** Sequential tuning sample size (default 5000). */
  readonly tuningN?: number;
  /** Optional prior on the relative lift for the Bayesian normal model. */
  readonly prior?: NormalPrior;
  /**
   * For method group_sequential: this is look `look` (1-based) of `looks`. `informationFraction`
   * (0, 1] is where this look sits on the spending function; the earlier looks are taken as equally
   * spaced in information up to it. Default look/looks.
   */
  readonly groupSequential?: {
    readonly looks: number;
    readonly look: number;
    readonly spending?: Spending;
    readonly informationFraction?: number;
  };
  /**
   * What the decision needs besides the results (docs/analysis.md#decision). Without it the engine
   * cannot tell whether the minimums or a fixed horizon are met, so it recommends neither ship nor stop.
   */
  readonly decision?: DecisionDesign;
  /**
   * A bandit's allocation epochs (bandit-epochs.ts): the units first exposed in each and the weights
   * live then. With them the SRM check tests each epoch against its own weights instead of the
   * cumulative units against `variants`' weights.
   */
  readonly srmEpochs?: readonly SrmEpochInput[];
  /**
   * A multivariate experiment's factors (name and levels, the first level the baseline), whose
   * variants are the cells of the full factorial: the result then carries `factorial`, the main
   * effects and two-way interactions (factorial.ts).
   */
  readonly factors?: readonly (readonly [string, readonly string[]])[];
  /** Exposure attributes to break the results down by, with their slices' statistics: the result then carries `dimensions`. */
  readonly dimensions?: readonly DimensionInput[];
  /** A fairness guardrail on a sensitive attribute, with its groups' statistics: the result carries `fairness` and the decision weighs it. */
  readonly fairness?: FairnessInput;
}

/** One allocation epoch: from when its weights were live (the published version) and its units per variant. */
export interface SrmEpochInput {
  readonly from: string;
  readonly version: number;
  readonly units: Readonly<Record<string, number>>;
  /** Per variant, any scale (a variant absent from the epoch has weight 0). */
  readonly weights: Readonly<Record<string, number>>;
}

/** The decision framework's rules and the design facts it weighs: dates, the analysis time, the planned sample. */
export interface DecisionDesign {
  /** No ship or stop before the phase has run this many days. */
  readonly minDurationDays: number;
  /** No ship or stop before every variant with a positive weight has this many units. */
  readonly minUnitsPerVariant: number;
  /** any_primary: some primary metric improves significantly and none gets worse; all_primaries: every one improves. */
  readonly ship: "any_primary" | "all_primaries";
  /** must_pass: a treatment ships only when every guardrail passed for it; no_breach: only a breach blocks. */
  readonly guardrails: "must_pass" | "no_breach";
  /** The instant the analysis looks at (ISO-8601). */
  readonly asOf: string;
  /** When the analysed phase started (its first publication, else its first exposure); unknown without exposures. */
  readonly start?: string;
  /** The schedule end: a fixed-horizon test's horizon when no planned sample is declared. */
  readonly end?: string;
  /** Units over all arms that the power design plans: a fixed-horizon test's horizon when declared. */
  readonly plannedUnits?: number;
}

/** The docs/analysis.md `analyze --format json` shape, without `provenance`. Non-finite numbers are null. */
export type Num = number | null;
export type Pair = [Num, Num];

export interface CupedJson {
  applied: boolean;
  /** One covariate: its θ. With several (docs/analysis.md#multiple-covariates) each has its own, in `covariates`. */
  theta?: Num;
  variance_reduction?: Num;
  /** Several covariates: each one's θ (the metric's own pre-period first; θ 0 when dropped as collinear or constant). */
  covariates?: { covariate: string; theta: Num; used: boolean }[];
  /** Several covariates: the reduction the metric's own pre-period alone gives (single-covariate CUPED). */
  single_covariate_reduction?: Num;
  unadjusted?: { diff: Num; diff_ci: Pair; p_value: Num };
}

export interface ComparisonJson {
  variant: string;
  code: StatsCode;
  diff: Num;
  diff_ci: Pair;
  rel_lift: Num;
  rel_ci: Pair;
  p_value: Num;
  p_value_adjusted: Num;
  significant: boolean;
  cuped?: CupedJson;
  /** Bayesian method only. */
  chance_to_win?: Num;
  expected_loss?: Num;
}

export interface MetricJson {
  metric: string;
  tier: Tier;
  kind: MetricKind;
  direction: Direction;
  variants: Record<string, { n: number; mean: Num; variance: Num }>;
  comparisons: ComparisonJson[];
}

export interface GuardrailVariantJson {
  variant: string;
  status: "passed" | "inconclusive" | "breached" | "failed";
  rel_lift: Num;
  bound: Num;
  p_value: Num;
}

export interface GuardrailJson {
  metric: string;
  passed: boolean;
  breached: boolean;
  direction: Direction;
  max_regression: Num;
  variants: GuardrailVariantJson[];
}

export type Recommendation = "ship" | "keep_running" | "stop" | "rollback" | "investigate";

/**
 * When a fixed-horizon test's results become evidence: the planned sample (`planned_units`), else the
 * schedule end (`end_date`); `undeclared` when the experiment gives neither; `not_required` for the
 * methods that may decide at any look (sequential, group-sequential, Bayesian).
 */
export interface HorizonJson {
  basis: "planned_units" | "end_date" | "undeclared" | "not_required";
  reached: boolean;
  units?: number;
  planned_units?: number;
  end?: string;
  elapsed_days?: Num;
  total_days?: Num;
}

/** The minimum duration and sample of the decision framework, and how far the analysis is. */
export interface MinimumsJson {
  duration_days: number;
  /** Days from the phase start to the analysis time; null when the start is unknown. */
  elapsed_days: Num;
  units_per_variant: number;
  /** The variant with the fewest units (positive weights only), and its units. */
  smallest_variant: string | null;
  smallest_units: number;
  met: boolean;
}

export interface DecisionJson {
  recommendation: Recommendation;
  /** Sentences naming the metric, the variant and the numbers behind the recommendation. */
  reasons: string[];
  horizon: HorizonJson;
  minimums: MinimumsJson;
}

/** One allocation epoch's SRM: its units against the weights (in percent) that were live. */
export interface SrmEpochJson {
  from: string;
  version: number;
  units: Record<string, number>;
  weights: Record<string, number>;
  chi2: Num;
  df: number;
  p_value: Num;
  ok: boolean;
}

export interface AnalysisResult {
  experiment: string;
  phase: number;
  method: Method;
  alpha: number;
  correction: Correction;
  units: Record<string, number>;
  multiple_exposures: number;
  /** ok when p_value is at or above threshold (the experiment's srm_threshold). */
  srm: {
    chi2: Num;
    p_value: Num;
    threshold: number;
    ok: boolean;
    /** A bandit analysed per allocation epoch: χ² and df are the sums over these. */
    df?: number;
    epochs?: SrmEpochJson[];
  };
  metrics: MetricJson[];
  guardrails: GuardrailJson[];
  decision: DecisionJson;
  /** Method group_sequential: the boundary on |z| at this look and its nominal two-sided level. */
  group_sequential?: {
    look: number;
    looks: number;
    spending: Spending;
    information_fraction: number;
    boundary: number;
    nominal_alpha: number;
  };
  /** A multivariate experiment: main effects and two-way interactions of its factors. */
  factorial?: FactorialJson;
  /** Per-slice effects, SRM and heterogeneity, one entry per dimension asked for (dimensions.ts). */
  dimensions?: DimensionJson[];
  /** The fairness guardrail: per-group effects, disparities, and parity differences for labelled outcomes (fairness.ts). */
  fairness?: FairnessJson;
  /** Present when part of the request could not be honoured as asked. */
  notes?: string[];
}

export function num(x: number): Num {
  return Number.isFinite(x) ? x : null;
}

export function pair(x: readonly [number, number]): Pair {
  return [num(x[0]), num(x[1])];
}
