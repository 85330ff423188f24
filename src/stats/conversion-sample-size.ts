import { normalCdf, normalQuantile } from "./distributions.js";
import { pairs, sizingCorrection, zPower, type ComparisonFamily, type SizingCorrection, type SizingDesign } from "./power.js";

/**
 * Sample size for a conversion rate, with the variance of each arm under the alternative: the
 * control at the baseline p₁, a treatment at p₂ = p₁·(1 + relative MDE). Sizing both arms with the
 * baseline p₁(1 − p₁), as `sampleSize` does for a metric with a known variance, undersizes a rise
 * in the rate (p = 1%, +10%, power 0.9: 4.7% too few units, power reached 0.883).
 *
 * - `test: "welch"` (default; the analysis' default test for conversions, Welch's t on the 0/1
 *   values, whose standard error is the unpooled one): the unpooled variance p₁q₁/n₁ + p₂q₂/n₂ under
 *   the alternative, n per arm = (z_{1−α/2} + z_{power})²·(p₁q₁ + p₂q₂)/Δ² for equal shares
 *   (statsmodels NormalIndPower with d = Δ/√((p₁q₁ + p₂q₂)/2)).
 * - `test: "pooled_z"` (the analysis' `test: "z"`, the pooled two-proportion z-test): the pooled
 *   variance p̄q̄(1/n₁ + 1/n₂) under H₀ for the critical value and the unpooled one under H₁, which is
 *   rpact's getSampleSizeRates (normal approximation) and Fleiss' formula without continuity correction.
 *
 * Each comparison's reached power is then computed exactly (both tails) at the rounded sizes.
 */
export interface ConversionSampleSizeInput extends SizingDesign {
  /** Control conversion rate p₁, in (0, 1). */
  readonly baseline: number;
  /** Relative change to detect: p₂ = p₁·(1 + relativeMde), in (0, 1). */
  readonly relativeMde: number;
  readonly test?: "welch" | "pooled_z";
}

export interface ConversionSampleSize {
  /** Units over all arms (the sum of `perArm`). */
  readonly total: number;
  readonly perArm: readonly number[];
  readonly alphaPerComparison: number;
  readonly correction: SizingCorrection;
  readonly test: "welch" | "pooled_z";
  /** Per-unit variances under the alternative: control p₁q₁, treatment p₂q₂. */
  readonly variance: { readonly control: number; readonly treatment: number };
  /** The smallest power any comparison reaches at `perArm`, by the exact two-sided formula. */
  readonly reachedPower: number;
}

/** Power of one comparison of arm sizes ni (rate pi) and nj (rate pj) at level a. */
function comparisonPower(pi: number, ni: number, pj: number, nj: number, a: number, test: "welch" | "pooled_z"): number {
  const delta = Math.abs(pj - pi);
  const se1 = Math.sqrt((pi * (1 - pi)) / ni + (pj * (1 - pj)) / nj);
  if (test === "welch") return zPower(delta / se1, a, "two-sided");
  const pooled = (ni * pi + nj * pj) / (ni + nj);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / ni + 1 / nj));
  const crit = normalQuantile(1 - a / 2) * se0;
  return normalCdf((delta - crit) / se1) + normalCdf((-delta - crit) / se1);
}

/**
 * The smallest power over the comparisons, control at p₁ and a treatment at p₂; a pair of treatments
 * is taken the worse way round.
 */
function leastPower(
  p1: number,
  p2: number,
  n: readonly number[],
  comparisons: [number, number][],
  a: number,
  test: "welch" | "pooled_z",
): number {
  let least = 1;
  for (const [i, j] of comparisons) {
    least = Math.min(least, comparisonPower(p1, n[i]!, p2, n[j]!, a, test));
    if (i !== 0) least = Math.min(least, comparisonPower(p1, n[j]!, p2, n[i]!, a, test));
  }
  return least;
}

export function conversionSampleSize(input: ConversionSampleSizeInput): ConversionSampleSize {
  const test = input.test ?? "welch";
  const p1 = input.baseline;
  const p2 = p1 * (1 + input.relativeMde);
  const totalShare = input.shares.reduce((a, b) => a + b, 0);
  const shares = input.shares.map((s) => s / totalShare);
  const comparisons = pairs(shares.length, input.comparisons ?? "control_vs_all");
  const { alphaPerComparison: a, ...correction } = sizingCorrection(input.alpha, comparisons.length, input.correction, input.metrics);
  const za = normalQuantile(1 - a / 2);
  const zb = normalQuantile(input.power);
  const delta = p2 - p1;
  // Total units so that comparison (i, j) reaches the power, with arm i at the baseline and arm j
  // at the alternative (control is arm 0; a pair of treatments is sized the same, the worse way round).
  const totalFor = (si: number, sj: number): number => {
    const v1 = (p1 * (1 - p1)) / si + (p2 * (1 - p2)) / sj;
    if (test === "welch") return ((za + zb) ** 2 * v1) / (delta * delta);
    const pooled = (si * p1 + sj * p2) / (si + sj);
    const v0 = pooled * (1 - pooled) * (1 / si + 1 / sj);
    return (za * Math.sqrt(v0) + zb * Math.sqrt(v1)) ** 2 / (delta * delta);
  };
  let total = 0;
  for (const [i, j] of comparisons)
    total = Math.max(total, totalFor(shares[i]!, shares[j]!), i === 0 ? 0 : totalFor(shares[j]!, shares[i]!));
  const perArm = shares.map((s) => Math.ceil(total * s));
  const reached = leastPower(p1, p2, perArm, comparisons, a, test);
  return {
    total: perArm.reduce((x, y) => x + y, 0),
    perArm,
    alphaPerComparison: a,
    correction,
    test,
    variance: { control: p1 * (1 - p1), treatment: p2 * (1 - p2) },
    reachedPower: reached,
  };
}

export interface ConversionMdeInput extends ComparisonFamily {
  /** Control conversion rate p₁, in (0, 1). */
  readonly baseline: number;
  readonly alpha: number;
  readonly power: number;
  /** Units per arm, control first. */
  readonly units: readonly number[];
  readonly test?: "welch" | "pooled_z";
}

/**
 * The inverse of `conversionSampleSize`: the smallest relative rise r of the rate (p₂ = p₁·(1 + r)) that
 * every comparison detects with the power at these arm sizes, each arm's variance under the
 * alternative. The reached power grows with r, so bisection finds it to 1e-12; Infinity when not even
 * a rate near 1 reaches the power.
 */
export function conversionMinimumDetectableEffect(input: ConversionMdeInput): number {
  const test = input.test ?? "welch";
  const p1 = input.baseline;
  const n = input.units;
  const comparisons = pairs(n.length, input.comparisons ?? "control_vs_all");
  const a = sizingCorrection(input.alpha, comparisons.length, input.correction, input.metrics).alphaPerComparison;
  const reached = (r: number): number => leastPower(p1, p1 * (1 + r), n, comparisons, a, test);
  let hi = (1 - 1e-12) / p1 - 1;
  if (!(hi > 0) || reached(hi) < input.power) return Infinity;
  let lo = 0;
  while (hi - lo > 1e-12 * hi) {
    const mid = (lo + hi) / 2;
    if (reached(mid) < input.power) lo = mid;
    else hi = mid;
  }
  return hi;
}
