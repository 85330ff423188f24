import type { ArmSummary, CupedStats, MeanStats, RatioStats, StatsCode } from "./types.js";

/** Sample variance (n − 1) from a sum and a sum of squares; NaN below two units. */
export function sampleVariance(n: number, sum: number, sumSq: number): number {
  if (n < 2) return NaN;
  return (sumSq - (sum * sum) / n) / (n - 1);
}

/** Sample covariance (n − 1) from two sums and the sum of products. */
export function sampleCovariance(n: number, sumA: number, sumB: number, sumAB: number): number {
  if (n < 2) return NaN;
  return (sumAB - (sumA * sumB) / n) / (n - 1);
}

export interface ArmResult extends ArmSummary {
  readonly code: StatsCode;
}

/** An arm's mean and per-unit variance with the code of what is wrong with them, if anything. */
export function armResult(n: number, mean: number, variance: number): ArmResult {
  if (n <= 0) return { code: "EMPTY_ARM", n, mean: NaN, variance: NaN };
  if (n < 2) return { code: "TOO_FEW_UNITS", n, mean, variance: NaN };
  // Round-off can make a true zero variance slightly negative.
  if (variance < 0 && variance > -1e-12 * Math.max(1, mean * mean)) variance = 0;
  if (variance < 0) return { code: "NEGATIVE_VARIANCE", n, mean, variance };
  if (variance === 0) return { code: "ZERO_VARIANCE", n, mean, variance };
  return { code: "OK", n, mean, variance };
}

export function summarizeMean(s: MeanStats): ArmResult {
  return armResult(s.n, s.n > 0 ? s.sum / s.n : NaN, sampleVariance(s.n, s.sum, s.sumSq));
}

/** Y alone, ignoring the covariate (the unadjusted view of a CUPED metric). */
export function summarizeCupedOutcome(s: CupedStats): ArmResult {
  return summarizeMean({ kind: "mean", n: s.n, sum: s.sumY, sumSq: s.sumY2 });
}

/**
 * A ratio Σnum/Σden with the delta-method variance of that ratio, scaled by n so that
 * variance / n is the squared standard error (docs/analysis.md).
 */
export function summarizeRatio(s: RatioStats): ArmResult {
  if (s.n <= 0) return { code: "EMPTY_ARM", n: s.n, mean: NaN, variance: NaN };
  if (s.sumDen === 0) return { code: "ZERO_DENOMINATOR", n: s.n, mean: NaN, variance: NaN };
  const mean = s.sumNum / s.sumDen;
  if (s.n < 2) return { code: "TOO_FEW_UNITS", n: s.n, mean, variance: NaN };
  const muNum = s.sumNum / s.n;
  const muDen = s.sumDen / s.n;
  const varNum = sampleVariance(s.n, s.sumNum, s.sumNum2);
  const varDen = sampleVariance(s.n, s.sumDen, s.sumDen2);
  const cov = sampleCovariance(s.n, s.sumNum, s.sumDen, s.sumNumDen);
  const variance = varNum / (muDen * muDen) + (varDen * muNum * muNum) / muDen ** 4 - (2 * cov * muNum) / muDen ** 3;
  return armResult(s.n, mean, variance);
}
