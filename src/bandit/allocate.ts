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

const BASIS_POINTS = 10_000;

/**
 * Posterior probability of being best per arm, then the exploration floor. Conversions use
 * Beta(1 + successes, 1 + failures); other metrics a normal model, which needs two units per arm.
 * Only conversion, count, sum and mean metrics have per-unit means a bandit can rank. "Best" follows
 * the metric's direction: for a `decrease` metric it is the lowest rate or mean.
 *
 * `thompson` allocates in proportion to P(best), mixed with the exploration floor; `epsilon_greedy`
 * gives the arm with the best posterior mean 1 − ε and spreads ε evenly over all arms (ties at the top
 * share the 1 − ε), with ε raised to k × floor when that is larger. The epoch-stratified analysis
 * (analysis/bandit-epochs.ts) stays valid either way, since it only needs each epoch's weights.
 *
 * The result is either a valid allocation — every weight finite, at least the floor (and at least
 * one basis point, since the workspace refuses a zero weight), summing to exactly 100% in the
 * basis points the compiler rounds to — or `ok: false` with a sentence saying why and what to do.
 * Weights are never written from statistics that are not finite numbers.
 */
export function allocateBandit(experiment: Experiment, metric: Metric, perVariant: Record<string, UnitStats>): Allocation {
  const k = experiment.variants.length;
  const lowerIsBetter = metric.direction === "decrease";
  const minShare = experiment.bandit?.min_share ?? 0.01;
  if (!(minShare >= 0 && minShare <= 1))
    return {
      ok: false,
      reason: `the min_share of "${experiment.key}" is ${minShare}; set bandit.min_share to a share between 0% and 100%`,
    };
  // A zero weight fails validation, so the floor is at least one basis point.
  const floor = Math.max(Math.min(minShare, 1 / k), 1 / BASIS_POINTS);
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
    const sumSq = s?.sumSq ?? 0;
    if (![n, sum, sumSq].every(Number.isFinite) || !Number.isInteger(n) || n < 0)
      return {
        ok: false,
        reason: `arm "${v.key}" of "${experiment.key}" has statistics that are not finite numbers (units ${n}, sum ${sum}, sum of squares ${sumSq}); check the SQL of metric "${metric.key}" and its warehouse data, then run the update again`,
      };
    arms.push({ n, sum, sumSq });
    stats.push({ variant: v.key, n, mean: n > 0 ? sum / n : null });
  }
  let best: number[];
  if (metric.kind === "conversion" || metric.kind === "retention") {
    const bad = experiment.variants.filter((_, i) => !(arms[i]!.sum >= 0 && arms[i]!.sum <= arms[i]!.n)).map((v) => `"${v.key}"`);
    if (bad.length)
      return {
        ok: false,
        reason: `arm${bad.length > 1 ? "s" : ""} ${bad.join(", ")} of "${experiment.key}" report${bad.length > 1 ? "" : "s"} more conversions than units or fewer than none; check the SQL of metric "${metric.key}", which must count each unit at most once`,
      };
    // P(lowest rate) is P(highest failure rate): the same Beta law with the outcomes swapped.
    best = probabilityBestBeta(lowerIsBetter ? arms.map((a) => ({ n: a.n, sum: a.n - a.sum })) : arms);
  } else {
    const thin = stats.filter((s) => s.n < 2).map((s) => s.variant);
    if (thin.length)
      return {
        ok: false,
        reason: `arm${thin.length > 1 ? "s" : ""} ${thin.map((t) => `"${t}"`).join(", ")} of "${experiment.key}" ha${thin.length > 1 ? "ve" : "s"} fewer than 2 units with data; the weights stay as they are until every arm has some`,
      };
    const spread = arms.some((a) => a.sumSq! - (a.sum * a.sum) / a.n > 0);
    if (!spread)
      return {
        ok: false,
        reason: `every unit in each arm of "${experiment.key}" has the same value of "${metric.key}", so there is no spread to rank the arms by; the weights stay as they are until the metric varies within an arm`,
      };
    // The normal model is symmetric: the lowest mean of y is the highest mean of −y.
    best = probabilityBestNormal(lowerIsBetter ? arms.map((a) => ({ ...a, sum: -a.sum })) : arms);
  }
  const algorithm = experiment.bandit?.algorithm ?? "thompson";
  const shares = algorithm === "epsilon_greedy" ? greedyShares(experiment, metric, arms, lowerIsBetter, floor) : banditWeights(best, floor);
  // The compiler's own rounding, so the written shares compile to exactly these basis points (any
  // whole basis points summing to 10 000, written as bp / 100 percent, compile back to themselves).
  const bp = liftToFloor(weightsToBasisPoints(shares), Math.max(1, Math.floor(floor * BASIS_POINTS + 1e-9)));
  const valid =
    best.every((p) => p >= 0 && p <= 1 + 1e-9) &&
    shares.every((w) => Number.isFinite(w) && w >= floor) &&
    bp.every((b) => Number.isInteger(b) && b >= 1 && b >= Math.floor(floor * BASIS_POINTS + 1e-9)) &&
    bp.reduce((a, b) => a + b, 0) === BASIS_POINTS;
  if (!valid)
    return {
      ok: false,
      reason: `the posterior probabilities of the arms of "${experiment.key}" could not be computed from its statistics (${best.join(", ")}); the weights stay as they are — please report this with the output of exp analyze ${experiment.key}`,
    };
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

/**
 * ε-greedy shares: ε / k to every arm and 1 − ε to the arm whose posterior mean is best (split evenly
 * on a tie), where ε is at least k × floor so that every arm keeps its floor. Conversions rank by the Beta posterior mean (1 + s) / (2 + n), so an
 * arm without units ranks at ½ rather than not at all; other metrics by the sample mean.
 */
function greedyShares(experiment: Experiment, metric: Metric, arms: BanditArm[], lowerIsBetter: boolean, floor: number): number[] {
  const k = arms.length;
  const epsilon = Math.min(Math.max(experiment.bandit?.epsilon ?? 0.1, k * floor), 1);
  const conversion = metric.kind === "conversion" || metric.kind === "retention";
  const means = arms.map((a) => (conversion ? (1 + a.sum) / (2 + a.n) : a.sum / a.n) * (lowerIsBetter ? -1 : 1));
  const top = Math.max(...means);
  const leaders = means.filter((m) => m === top).length;
  return means.map((m) => epsilon / k + (m === top ? (1 - epsilon) / leaders : 0));
}

/** Rounding can leave a share at the floor one basis point under it: take that point from the largest arm. */
function liftToFloor(bp: number[], least: number): number[] {
  const out = bp.slice();
  for (let i = 0; i < out.length; i++) {
    while (out[i]! < least) {
      const top = out.indexOf(Math.max(...out));
      if (top === i || out[top]! <= least) return out;
      out[top]!--;
      out[i]!++;
    }
  }
  return out;
}
