import { sampleCovariance, sampleVariance, summarizeCupedOutcome } from "./moments.js";
import { compareMeans, failedComparison, relativeInterval } from "./welch.js";
import type { ArmSummary, Comparison, CupedStats } from "./types.js";

/**
 * θ = cov(Y, X) / var(X) over the units of all variants together (docs/analysis.md item 4).
 * Returns 0 when the covariate has no variance, which leaves Y unadjusted.
 */
export function pooledTheta(arms: readonly CupedStats[]): number {
  let n = 0,
    sy = 0,
    sx = 0,
    sx2 = 0,
    sxy = 0;
  for (const a of arms) {
    n += a.n;
    sy += a.sumY;
    sx += a.sumX;
    sx2 += a.sumX2;
    sxy += a.sumXY;
  }
  const varX = sampleVariance(n, sx, sx2);
  if (!(varX > 0)) return 0;
  return sampleCovariance(n, sy, sx, sxy) / varX;
}

/** Pooled mean of the covariate, the centre of Y' = Y − θ(X − mean(X)). */
export function pooledCovariateMean(arms: readonly CupedStats[]): number {
  let n = 0,
    sx = 0;
  for (const a of arms) {
    n += a.n;
    sx += a.sumX;
  }
  return n > 0 ? sx / n : 0;
}

/**
 * 1 − var(Y')/var(Y), both sample variances over the units of all variants together.
 * With the pooled θ this equals the squared pooled correlation of Y and X.
 */
export function cupedVarianceReduction(arms: readonly CupedStats[], theta: number): number {
  let n = 0,
    sy = 0,
    sy2 = 0,
    sx = 0,
    sx2 = 0,
    sxy = 0;
  for (const a of arms) {
    n += a.n;
    sy += a.sumY;
    sy2 += a.sumY2;
    sx += a.sumX;
    sx2 += a.sumX2;
    sxy += a.sumXY;
  }
  const varY = sampleVariance(n, sy, sy2);
  if (!(varY > 0)) return NaN;
  const varAdj = varY + theta * theta * sampleVariance(n, sx, sx2) - 2 * theta * sampleCovariance(n, sy, sx, sxy);
  return 1 - varAdj / varY;
}

/** The arm's adjusted outcome Y': mean and per-unit sample variance, from sums only. */
export function adjustArm(s: CupedStats, theta: number, centre: number): ArmSummary {
  const meanY = s.sumY / s.n;
  const meanX = s.sumX / s.n;
  const varY = sampleVariance(s.n, s.sumY, s.sumY2);
  const varX = sampleVariance(s.n, s.sumX, s.sumX2);
  const cov = sampleCovariance(s.n, s.sumY, s.sumX, s.sumXY);
  return { n: s.n, mean: meanY - theta * (meanX - centre), variance: varY + theta * theta * varX - 2 * theta * cov };
}

export interface CupedComparison {
  readonly adjusted: Comparison;
  readonly unadjusted: Comparison;
  readonly theta: number;
  /** 1 − var(Y')/var(Y) over the units of all variants (see cupedVarianceReduction). */
  readonly varianceReduction: number;
}

/**
 * Welch's test on Y'. The relative lift divides the adjusted difference by the unadjusted
 * control mean; its variance is the delta method over (ȳ_t, x̄_t, ȳ_c, x̄_c) with θ held fixed,
 * the same construction as GrowthBook's regression-adjusted relative effect.
 */
export function compareCuped(
  t: CupedStats,
  c: CupedStats,
  theta: number,
  centre: number,
  alpha: number,
  varianceReduction: number,
): CupedComparison {
  const unadjustedT = summarizeCupedOutcome(t);
  const unadjustedC = summarizeCupedOutcome(c);
  const unadjusted = compareMeans(unadjustedT, unadjustedC, alpha);
  const at = adjustArm(t, theta, centre);
  const ac = adjustArm(c, theta, centre);
  if (unadjusted.code === "EMPTY_ARM" || unadjusted.code === "TOO_FEW_UNITS") {
    return { adjusted: unadjusted, unadjusted, theta, varianceReduction: NaN };
  }
  const welch = compareMeans(at, ac, alpha);
  if (welch.code !== "OK" && welch.code !== "ZERO_CONTROL_MEAN") {
    return { adjusted: failedComparison(welch.code), unadjusted, theta, varianceReduction };
  }
  const yc = unadjustedC.mean;
  if (yc === 0) {
    return {
      adjusted: { ...welch, code: "ZERO_CONTROL_MEAN", relLift: NaN, relCi: [NaN, NaN], relSe: NaN },
      unadjusted,
      theta,
      varianceReduction,
    };
  }
  const yt = unadjustedT.mean;
  const varYc = unadjustedC.variance;
  const varXc = sampleVariance(c.n, c.sumX, c.sumX2);
  const covC = sampleCovariance(c.n, c.sumY, c.sumX, c.sumXY);
  const relLift = welch.diff / yc;
  const vT = at.variance / (t.n * yc * yc);
  const vC = ((varYc * yt * yt) / (yc * yc) - (2 * theta * covC * yt) / yc + theta * theta * varXc) / (c.n * yc * yc);
  const adjusted: Comparison = {
    ...welch,
    code: "OK",
    relLift,
    relCi: relativeInterval(relLift, vT + vC, alpha),
    relSe: Math.sqrt(vT + vC),
  };
  return { adjusted, unadjusted, theta, varianceReduction };
}
