import type { RulesetExperiment } from "../../../ruleset/types.js";
import type { ServerState } from "../state.js";
import { num, type AnalysisInput, type ComparisonJson, type MetricJson, type Num } from "../../../stats/analysis-types.js";
import { analyzeStats } from "../../../stats/experiment.js";
import { srmCheck } from "../../../stats/srm.js";
import type { Direction, MetricKind, StatsCode, SufficientStats, Tier } from "../../../stats/types.js";
import { isAvailable, type LiveMetricPlan } from "./definitions.js";
import type { LiveStats } from "./live-stats.js";

/** The SRM threshold when the server was given no workspace (exp.yaml's default). */
export const DEFAULT_SRM_THRESHOLD = 0.001;

export type GuardrailState = "passed" | "failed" | "inconclusive";

/** One variant of one metric in a live summary (docs/http-api.md#live-summary). Lifts are relative; null when not computable. */
export interface LiveVariantJson {
  variant: string;
  /** Units with a value of the metric (all exposed units for counts, sums and conversions). */
  units: number;
  mean: Num;
  /** Treatments only (null for control): the comparison with control. */
  code: StatsCode | null;
  lift: Num;
  /** The always-valid confidence sequence of the relative lift, at the experiment's α. */
  lift_cs: [Num, Num];
  diff: Num;
  diff_cs: [Num, Num];
  p_value: Num;
  /** Guardrail metrics only, treatments only. */
  guardrail?: GuardrailState;
}

export type LiveMetricJson =
  | {
      metric: string;
      tier: Tier;
      kind: MetricKind;
      direction: Direction;
      available: true;
      variants: LiveVariantJson[];
      /** Guardrail metrics: the margin and the state over every treatment (the worst one). */
      guardrail?: { max_regression: number | null; state: GuardrailState };
    }
  | { metric: string; tier: Tier; available: false; reason: string };

export interface LiveSummary {
  experiment: string;
  status: RulesetExperiment["status"];
  phase: number;
  traffic: number;
  layer: string | null;
  allocation: Record<string, number>;
  /** Units exposed to one variant only in this phase, per variant (kept across restarts). */
  exposures: Record<string, number>;
  /** Units exposed to more than one variant (left out). */
  multiple_exposures: number;
  method: "sequential";
  alpha: number;
  srm: { chi2: Num; p_value: Num; threshold: number; ok: boolean };
  metrics: LiveMetricJson[];
}

/** The live summary of an experiment of the served ruleset, or undefined when it serves none of that key. */
export function experimentSummary(s: Pick<ServerState, "live" | "rulesets">, key: string): LiveSummary | undefined {
  const experiments = s.rulesets.ready().ruleset.experiments;
  // Own keys only: "constructor" is not an experiment.
  const e = Object.hasOwn(experiments, key) ? experiments[key] : undefined;
  return e ? liveSummary(s.live, key, e) : undefined;
}

/**
 * The live summary of an experiment as the ruleset serves it now (its phase and weights): units per
 * variant, SRM at the workspace's `srm_threshold`, and per metric the comparison `exp analyze`
 * makes with `method: sequential` and no CUPED (src/stats analyzeStats, so the numbers are the
 * same for the same sufficient statistics), with each guardrail's state read off the confidence
 * sequence. What the server, guards and the live view call; the route only sends it.
 */
export function liveSummary(live: LiveStats, key: string, e: RulesetExperiment): LiveSummary {
  const definition = live.definition(key);
  const phase = live.phase(key, e.phase);
  const variants = e.variants.map((v) => v.key);
  const units = phaseUnits(live, key, e);
  const plans = (definition?.metrics ?? []).filter(isAvailable);
  const stats: Record<string, Record<string, SufficientStats>> = {};
  for (const m of phase?.layout.metrics ?? []) {
    const byVariant: Record<string, SufficientStats> = {};
    for (const v of variants) {
      const sums = phase!.variants.get(v);
      if (sums) byVariant[v] = sums.stats(m.position, m.ratio);
    }
    stats[m.plan.design.metric] = byVariant;
  }
  const alpha = definition?.alpha ?? 0.05;
  const input: AnalysisInput = {
    experiment: key,
    phase: e.phase,
    method: "sequential",
    alpha,
    correction: definition?.correction ?? "none",
    srmThreshold: srmThreshold(live),
    control: definition?.control ?? variants[0] ?? "control",
    variants: e.variants.map((v) => ({ key: v.key, weight: v.weight })),
    metrics: plans.map((m) => m.design),
    units,
    multipleExposures: phase?.multipleExposures ?? 0,
    stats,
    ...(definition?.tuningN !== undefined ? { tuningN: definition.tuningN } : {}),
  };
  const result = analyzeStats(input);
  const analysed = new Map(result.metrics.map((m) => [m.metric, m]));
  return {
    experiment: key,
    status: e.status,
    phase: e.phase,
    traffic: e.traffic / 10000,
    layer: e.layer ?? null,
    allocation: Object.fromEntries(e.variants.map((v) => [v.key, v.weight / 10000])),
    exposures: units,
    multiple_exposures: input.multipleExposures,
    method: "sequential",
    alpha,
    srm: { chi2: result.srm.chi2, p_value: result.srm.p_value, threshold: result.srm.threshold, ok: result.srm.ok },
    metrics: (definition?.metrics ?? []).map((m): LiveMetricJson => {
      if (!isAvailable(m)) return { metric: m.design.metric, tier: m.design.tier, available: false, reason: m.unavailable };
      return metricJson(m, analysed.get(m.design.metric)!);
    }),
  };
}

/** Units exposed to one variant only in the experiment's current phase, per variant. */
function phaseUnits(live: LiveStats, key: string, e: RulesetExperiment): Record<string, number> {
  const counts = phaseUnitCounts(live, key, e);
  return Object.fromEntries(e.variants.map((v, i) => [v.key, counts[i]!]));
}

/** The distinct units exposed to each variant of the experiment's current phase, in its order. */
export function phaseUnitCounts(live: LiveStats, key: string, e: RulesetExperiment): number[] {
  const phase = live.phase(key, e.phase);
  return e.variants.map((v) => phase?.variants.get(v.key)?.units ?? 0);
}

const srmThreshold = (live: LiveStats) => live.definitions?.srmThreshold ?? DEFAULT_SRM_THRESHOLD;

/**
 * The summary's SRM alone (the same check analyzeStats makes of the same units and weights), for
 * callers that want it without analysing every metric.
 */
export function liveSrm(live: LiveStats, key: string, e: RulesetExperiment): LiveSummary["srm"] {
  const units = phaseUnits(live, key, e);
  const threshold = srmThreshold(live);
  const check = srmCheck(
    e.variants.map((v) => units[v.key]!),
    e.variants.map((v) => v.weight),
    threshold,
  );
  return { chi2: num(check.chi2), p_value: num(check.pValue), threshold, ok: check.ok };
}

function metricJson(plan: LiveMetricPlan, m: MetricJson): LiveMetricJson {
  const d = plan.design;
  const guarded = d.tier === "guardrail";
  const margin = d.maxRegression ?? 0;
  const comparisons = new Map(m.comparisons.map((c) => [c.variant, c]));
  const variants = Object.entries(m.variants).map(([variant, arm]): LiveVariantJson => {
    const c = comparisons.get(variant);
    const out: LiveVariantJson = {
      variant,
      units: arm.n,
      mean: arm.mean,
      code: c?.code ?? null,
      lift: c?.rel_lift ?? null,
      lift_cs: c?.rel_ci ?? [null, null],
      diff: c?.diff ?? null,
      diff_cs: c?.diff_ci ?? [null, null],
      p_value: c?.p_value ?? null,
    };
    if (guarded && c) out.guardrail = guardrailState(c, m.direction, margin);
    return out;
  });
  const states = variants.flatMap((v) => (v.guardrail ? [v.guardrail] : []));
  const state: GuardrailState = states.includes("failed")
    ? "failed"
    : states.length > 0 && states.every((s) => s === "passed")
      ? "passed"
      : "inconclusive";
  return {
    metric: m.metric,
    tier: m.tier,
    kind: m.kind,
    direction: m.direction,
    available: true,
    variants,
    ...(guarded ? { guardrail: { max_regression: d.maxRegression ?? null, state } } : {}),
  };
}

/**
 * A treatment's guardrail read off the confidence sequence of its relative lift, valid however
 * often it is looked at: `failed` when the whole sequence is a regression beyond the margin,
 * `passed` when it rules such a regression out, `inconclusive` otherwise (and while the comparison
 * cannot be computed). Without `max_regression` the margin is 0: any regression.
 */
export function guardrailState(c: ComparisonJson, direction: Direction, margin: number): GuardrailState {
  const [lo, hi] = c.rel_ci;
  if (c.code !== "OK" || lo === null || hi === null) return "inconclusive";
  // The harmful side is a fall for an increase metric and a rise for a decrease metric.
  const worst = direction === "increase" ? lo : -hi;
  const best = direction === "increase" ? hi : -lo;
  if (best < -margin) return "failed";
  if (worst > -margin) return "passed";
  return "inconclusive";
}
