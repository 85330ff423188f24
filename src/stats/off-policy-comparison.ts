import type { ComparisonJson, MetricJson, Num, Pair } from "./analysis-types.js";
import { num } from "./analysis-types.js";
import type { OffPolicyEstimateJson, OffPolicyResult } from "./off-policy.js";

/** `exp evaluate --format json` (docs/analysis.md#off-policy-evaluation). */
export type EvaluationJson = { evaluation: string; table: string; alpha: number } & Pick<OffPolicyResult, "rows" | "invalid_rows"> & {
    units: number;
    contexts: number;
    actions: number;
  } & Omit<OffPolicyResult, "rows" | "invalid_rows"> & {
    /** The warning diagnostics' sentences, kept with the numbers they qualify. */
    warnings: string[];
    /** Present when the evaluation declares `compare_with` and the experiment has a result. */
    online?: OnlineComparisonJson;
    provenance: { sourceCommit: string | null; definitionsSha256: string; sqlSha256: string; engine: string };
  };

/**
 * An offline estimate set beside the online A/B test of the same policy (docs/analysis.md#off-policy-evaluation):
 * the offline relative lift of the target over the logging policy against the experiment's relative
 * lift of the variant that served the target policy over the control (which served the logging policy).
 */
export interface OnlineComparisonJson {
  experiment: string;
  metric: string;
  variant: string;
  control: string;
  /** The estimator compared: DR when the evaluation has a reward model, else SNIPS. */
  estimator: OffPolicyEstimateJson["estimator"];
  offline_rel_lift: Num;
  offline_diff_ci: Pair;
  online_rel_lift: Num;
  online_rel_ci: Pair;
  online_control_mean: Num;
  online_variant_mean: Num;
  /** Both lifts point the same way (or both are 0). */
  agree: boolean | null;
}

/** The estimator an evaluation is judged by: DR when present (it uses the reward model), else SNIPS. */
export function headlineEstimate(estimates: readonly OffPolicyEstimateJson[]): OffPolicyEstimateJson | undefined {
  return estimates.find((e) => e.estimator === "dr" && e.code === "OK") ?? estimates.find((e) => e.estimator === "snips");
}

export function onlineComparison(
  estimates: readonly OffPolicyEstimateJson[],
  online: { experiment: string; control: string; variant: string; metric: MetricJson | undefined },
): OnlineComparisonJson | undefined {
  const offline = headlineEstimate(estimates);
  if (!offline || !online.metric) return undefined;
  const c: ComparisonJson | undefined = online.metric.comparisons.find((x) => x.variant === online.variant);
  const on = c?.rel_lift ?? null;
  const off = offline.rel_lift;
  return {
    experiment: online.experiment,
    metric: online.metric.metric,
    variant: online.variant,
    control: online.control,
    estimator: offline.estimator,
    offline_rel_lift: off,
    offline_diff_ci: offline.diff_ci,
    online_rel_lift: on,
    online_rel_ci: c?.rel_ci ?? [null, null],
    online_control_mean: online.metric.variants[online.control]?.mean ?? null,
    online_variant_mean: online.metric.variants[online.variant]?.mean ?? null,
    agree: off === null || on === null ? null : Math.sign(off) === Math.sign(on),
  };
}

/**
 * Pearson's correlation of the offline and online relative lifts across evaluations that have both:
 * how well offline evaluation has predicted online results so far. Null with fewer than three pairs
 * or without spread on either side.
 */
export function offlineOnlineCorrelation(pairs: readonly { offline: Num; online: Num }[]): { pairs: number; correlation: Num } {
  const xs = pairs.filter((p) => p.offline !== null && p.online !== null) as { offline: number; online: number }[];
  const n = xs.length;
  if (n < 3) return { pairs: n, correlation: null };
  const mx = xs.reduce((a, p) => a + p.offline, 0) / n;
  const my = xs.reduce((a, p) => a + p.online, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of xs) {
    sxy += (p.offline - mx) * (p.online - my);
    sxx += (p.offline - mx) ** 2;
    syy += (p.online - my) ** 2;
  }
  return { pairs: n, correlation: sxx > 0 && syy > 0 ? num(sxy / Math.sqrt(sxx * syy)) : null };
}
