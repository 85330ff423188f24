import { normalQuantile, studentQuantile, twoSidedP } from "./distributions.js";
import type { ArmSummary, Comparison, Interval, StatsCode } from "./types.js";

const NAN_PAIR: Interval = [NaN, NaN];

/** What a comparison returns when the data cannot support one. */
export function failedComparison(code: StatsCode): Comparison {
  return { code, diff: NaN, diffCi: NAN_PAIR, relLift: NaN, relCi: NAN_PAIR, pValue: NaN, se: NaN, relSe: NaN, df: NaN };
}

/** Welch–Satterthwaite degrees of freedom for two arms' per-unit variances. */
export function welchDf(t: ArmSummary, c: ArmSummary): number {
  const a = t.variance / t.n;
  const b = c.variance / c.n;
  return (a + b) ** 2 / ((a * a) / (t.n - 1) + (b * b) / (c.n - 1));
}

/**
 * Delta-method variance of mean_t / mean_c − 1, arms independent.
 * The relative lift is always a normal interval (docs/analysis.md item 5).
 */
export function relativeVariance(t: ArmSummary, c: ArmSummary): number {
  return t.variance / t.n / (c.mean * c.mean) + ((c.variance / c.n) * t.mean * t.mean) / c.mean ** 4;
}

export function relativeInterval(relLift: number, relVar: number, alpha: number): Interval {
  const z = normalQuantile(1 - alpha / 2);
  const h = z * Math.sqrt(relVar);
  return [relLift - h, relLift + h];
}

/**
 * Compare treatment with control on the absolute difference of means.
 * `df` = "welch" gives Welch's t-test; `df` = Infinity gives the normal z (ratio and quantile metrics).
 */
export function compareMeans(t: ArmSummary, c: ArmSummary, alpha: number, df: "welch" | number = "welch"): Comparison {
  if (!(t.n > 0) || !(c.n > 0)) return failedComparison("EMPTY_ARM");
  if (t.n < 2 || c.n < 2) return failedComparison("TOO_FEW_UNITS");
  if (t.variance < 0 || c.variance < 0) return failedComparison("NEGATIVE_VARIANCE");
  const se2 = t.variance / t.n + c.variance / c.n;
  if (!(se2 > 0)) return failedComparison("ZERO_VARIANCE");
  const se = Math.sqrt(se2);
  const dof = df === "welch" ? welchDf(t, c) : df;
  const diff = t.mean - c.mean;
  const q = studentQuantile(1 - alpha / 2, dof);
  const pValue = twoSidedP(diff / se, dof);
  if (c.mean === 0) {
    return {
      code: "ZERO_CONTROL_MEAN",
      diff,
      diffCi: [diff - q * se, diff + q * se],
      relLift: NaN,
      relCi: NAN_PAIR,
      pValue,
      se,
      relSe: NaN,
      df: dof,
    };
  }
  const relLift = t.mean / c.mean - 1;
  const relVar = relativeVariance(t, c);
  return {
    code: "OK",
    diff,
    diffCi: [diff - q * se, diff + q * se],
    relLift,
    relCi: relativeInterval(relLift, relVar, alpha),
    pValue,
    se,
    relSe: Math.sqrt(relVar),
    df: dof,
  };
}
