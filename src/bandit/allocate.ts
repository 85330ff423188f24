import { banditWeights, probabilityBestBeta, probabilityBestNormal, type BanditArm } from "../stats/bandit.js";
import type { UnitStats } from "../analysis/stats-rows.js";
import { weightsToBasisPoints } from "../ruleset/hash.js";
import type { Experiment, Metric } from "../workspace/model.js";

export interface ArmAllocation {
  variant: string;
  units: number;
  /** Conversion rate or mean of the bandit's metric. */
  mean: number | null;
  probabilityBest: number;
  previousWeight: number;
  /** The new share in percent, two decimals (basis points / 100); the shares sum to exactly 100. */
  weight: number;
}

export type Allocation = { ok: true; arms: ArmAllocation[] } | { ok: false; reason: string };

/**
 * Posterior probability of being best per arm, then the exploration floor. Conversions use
 * Beta(1 + successes, 1 + failures); other metrics a normal model, which needs two units per arm.
 * Only conversion, count, sum and mean metrics have per-unit means a bandit can rank.
 */
export function allocateBandit(experiment: Experiment, metric: Metric, perVariant: Record<string, UnitStats>): Allocation {
  const minShare = experiment.bandit?.min_share ?? 0.01;
  const arms: BanditArm[] = [];
  const stats: { variant: string; n: number; mean: number | null }[] = [];
  for (const v of experiment.variants) {
    const s = perVariant[v.key];
    if (s && s.kind !== "mean")
      return {
        ok: false,
        reason: `the bandit's metric "${metric.key}" is a ${metric.kind} metric; a bandit needs a conversion, count, sum or mean metric`,
      };
    const n = s?.n ?? 0;
    const sum = s?.sum ?? 0;
    arms.push({ n, sum, sumSq: s?.sumSq ?? 0 });
    stats.push({ variant: v.key, n, mean: n > 0 ? sum / n : null });
  }
  let best: number[];
  if (metric.kind === "conversion" || metric.kind === "retention") best = probabilityBestBeta(arms);
  else {
    const thin = stats.filter((s) => s.n < 2).map((s) => s.variant);
    if (thin.length)
      return {
        ok: false,
        reason: `arm${thin.length > 1 ? "s" : ""} ${thin.map((t) => `"${t}"`).join(", ")} of "${experiment.key}" ha${thin.length > 1 ? "ve" : "s"} fewer than 2 units with data; the weights stay as they are until every arm has some`,
      };
    best = probabilityBestNormal(arms);
  }
  const shares = banditWeights(best, minShare);
  // The compiler's own rounding, so the written shares compile to exactly these basis points.
  const bp = weightsToBasisPoints(shares);
  const totalBefore = experiment.variants.reduce((a, v) => a + v.weight, 0);
  return {
    ok: true,
    arms: stats.map((s, i) => ({
      variant: s.variant,
      units: s.n,
      mean: s.mean,
      probabilityBest: best[i]!,
      previousWeight: (experiment.variants[i]!.weight / totalBefore) * 100,
      weight: bp[i]! / 100,
    })),
  };
}
