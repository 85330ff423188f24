import type { Interval } from "./types.js";

/**
 * Always-valid inference: the asymptotic confidence sequence of Waudby-Smith et al.
 * (arXiv 2103.06476), in the two-sided form GrowthBook uses. `tuningN` is the sample size at
 * which the sequence is tightest (docs/analysis.md: tuning_n, default 5000).
 */
export interface SequentialResult {
  readonly ci: Interval;
  readonly pValue: number;
}

function rho(alpha: number, tuningN: number): number {
  return Math.sqrt((-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuningN);
}

/**
 * @param estimate the point estimate (absolute or relative difference)
 * @param se its standard error
 * @param n total units in the two compared arms
 */
export function confidenceSequence(estimate: number, se: number, n: number, alpha: number, tuningN = 5000): SequentialResult {
  if (!(se > 0) || !(n > 0)) return { ci: [NaN, NaN], pValue: NaN };
  const r = rho(alpha, tuningN);
  const s2 = se * se * n;
  const nr2 = n * r * r + 1;
  const half = Math.sqrt(s2) * Math.sqrt(((2 * nr2) / (n * n * r * r)) * Math.log(Math.sqrt(nr2) / alpha));
  const st2 = (estimate * estimate * n) / (se * se);
  // The p-value is the reciprocal of the mixture e-value, capped at 1.
  const eValue = Math.exp((r * r * st2) / (2 * nr2)) / Math.sqrt(nr2);
  return { ci: [estimate - half, estimate + half], pValue: Math.min(1, 1 / eValue) };
}
