import { onlineComparison, type EvaluationJson } from "../../src/stats/off-policy-comparison.js";
import type { MetricJson } from "../../src/stats/analysis-types.js";

const estimate = (estimator: "ips" | "snips" | "dr", value: number, diff: number) => ({
  estimator,
  code: "OK" as const,
  value,
  se: 0.004,
  ci: [value - 0.008, value + 0.008] as [number, number],
  diff,
  diff_ci: [diff - 0.006, diff + 0.006] as [number, number],
  rel_lift: diff / 0.1,
});

/** An evaluation with a small effective sample size (illustrative numbers), optionally beside an online result. */
export function sampleEvaluation(online?: { rel_lift: number; rel_ci: [number, number] }): EvaluationJson {
  const estimates = [estimate("ips", 0.116, 0.016), estimate("snips", 0.115, 0.015), estimate("dr", 0.115, 0.015)];
  const metric: MetricJson = {
    metric: "top5_ctr",
    tier: "primary",
    kind: "ratio",
    direction: "increase",
    variants: { control: { n: 100, mean: 0.1, variance: 0.01 }, ranker_v2: { n: 100, mean: 0.11, variance: 0.01 } },
    comparisons: online
      ? [
          {
            variant: "ranker_v2",
            code: "OK",
            diff: 0.01,
            diff_ci: [0, 0.02],
            ...online,
            p_value: 0.01,
            p_value_adjusted: 0.01,
            significant: true,
          },
        ]
      : [],
  };
  const compared = onlineComparison(estimates, { experiment: "search_ranker_v2", control: "control", variant: "ranker_v2", metric });
  return {
    evaluation: "ranker_offline",
    table: "search_decisions",
    alpha: 0.05,
    rows: 2000,
    invalid_rows: 0,
    units: 1900,
    contexts: 2000,
    actions: 5,
    logging: { value: 0.1, se: 0.002, ci: [0.096, 0.104] },
    estimates,
    clip: { cap: 20, clipped: 1, share: 0.0005 },
    weights: {
      ess: 12.6,
      ess_share: 0.0063,
      max_weight: 31.5,
      propensity_floor: 0.01,
      below_floor: 40,
      below_floor_share: 0.02,
      low_ess: true,
    },
    warnings: ['evaluation "ranker_offline" has an effective sample size of 12.6 out of 2,000 decisions'],
    ...(online && compared ? { online: compared } : {}),
    provenance: { sourceCommit: null, definitionsSha256: "0".repeat(64), sqlSha256: "0".repeat(64), engine: "exp test" },
  };
}
