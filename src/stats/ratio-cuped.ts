import { summarizeRatio } from "./moments.js";
import type { CupedComparison } from "./cuped.js";
import { compareMeans, failedComparison, relativeInterval } from "./welch.js";
import type { ArmSummary, Comparison, RatioCupedStats, RatioStats } from "./types.js";

/**
 * Regression-adjusted ratio metrics (CUPED for Σnum/Σden), the construction of GrowthBook's
 * RegressionAdjustedRatioStatistic. Within each arm, Y = Σnum/Σden and X = Σpre_num/Σpre_den are
 * linearised around the arm's means by the delta method: a unit contributes
 * (num − Y·den)/mean(den) to Y and (pre_num − X·pre_den)/mean(pre_den) to X. θ pools the arms as
 * GrowthBook does, Σ_arms cov(Ylin, Xlin) / Σ_arms var(Xlin) (within-arm moments, so a treatment
 * effect cannot leak into θ). An arm's adjusted ratio is Y − θ(X − X_pooled), whose variance is the
 * multivariate delta method over (num, den, pre_num, pre_den) with θ held fixed.
 *
 * A unit with no pre-period denominator (and so no pre-period numerator) contributes 0 to Xlin,
 * the covariate's mean: it is kept and simply not adjusted. Many such units thin the covariate and
 * shrink θ and the variance reduction; none in an arm at all (Σpre_den = 0), or a linearised
 * covariate without variance, means no covariate, and the metric is reported unadjusted.
 */

/** Means of (num, den, pre_num, pre_den) per unit and their 4 × 4 sample covariance (n − 1). */
interface Moments {
  readonly n: number;
  readonly mean: readonly [number, number, number, number];
  readonly cov: readonly (readonly number[])[];
}

function moments(s: RatioCupedStats): Moments {
  const n = s.n;
  const sums = [s.sumNum, s.sumDen, s.sumPreNum, s.sumPreDen];
  const products = [
    [s.sumNum2, s.sumNumDen, s.sumNumPreNum, s.sumNumPreDen],
    [s.sumNumDen, s.sumDen2, s.sumDenPreNum, s.sumDenPreDen],
    [s.sumNumPreNum, s.sumDenPreNum, s.sumPreNum2, s.sumPreNumPreDen],
    [s.sumNumPreDen, s.sumDenPreDen, s.sumPreNumPreDen, s.sumPreDen2],
  ];
  const cov = products.map((row, i) => row.map((p, j) => (p - (sums[i]! * sums[j]!) / n) / (n - 1)));
  return { n, mean: [sums[0]! / n, sums[1]! / n, sums[2]! / n, sums[3]! / n], cov };
}

function quadratic(cov: Moments["cov"], a: readonly number[], b: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) total += a[i]! * cov[i]![j]! * b[j]!;
  return total;
}

/** Gradients of Y = num/den and X = pre_num/pre_den at the means. */
function gradients(m: Moments): { y: number[]; x: number[] } {
  const [num, den, preNum, preDen] = m.mean;
  return { y: [1 / den, -num / (den * den), 0, 0], x: [0, 0, 1 / preDen, -preNum / (preDen * preDen)] };
}

/** The in-window part alone, as plain ratio statistics. */
export function ratioOutcome(s: RatioCupedStats): RatioStats {
  return { kind: "ratio", n: s.n, sumNum: s.sumNum, sumDen: s.sumDen, sumNum2: s.sumNum2, sumDen2: s.sumDen2, sumNumDen: s.sumNumDen };
}

/** Whether every arm has a pre-period (Σpre_den > 0) and enough units for variances. */
export function ratioCovariateUsable(arms: readonly RatioCupedStats[]): boolean {
  return arms.length > 0 && arms.every((a) => a.n >= 2 && a.sumPreDen > 0 && a.sumDen > 0);
}

export interface RatioCupedFit {
  readonly theta: number;
  /** Pooled pre-period ratio, the centre of the adjustment. */
  readonly centre: number;
  /** 1 − Σ var(Ylin − θXlin) / Σ var(Ylin), sums over the arms (the within-arm moments θ comes from). */
  readonly varianceReduction: number;
  /** False when the linearised covariate has no variance: θ is undefined and the metric stays unadjusted. */
  readonly usable: boolean;
}

/** θ, centre and variance reduction from all variants; θ = 0 when X has no variance. */
export function fitRatioCuped(arms: readonly RatioCupedStats[]): RatioCupedFit {
  let varY = 0,
    varX = 0,
    cov = 0,
    preNum = 0,
    preDen = 0;
  for (const a of arms) {
    const m = moments(a);
    const g = gradients(m);
    varY += quadratic(m.cov, g.y, g.y);
    varX += quadratic(m.cov, g.x, g.x);
    cov += quadratic(m.cov, g.y, g.x);
    preNum += a.sumPreNum;
    preDen += a.sumPreDen;
  }
  const theta = varX > 0 ? cov / varX : 0;
  const centre = preNum / preDen;
  const varianceReduction = varY > 0 ? 1 - (varY + theta * theta * varX - 2 * theta * cov) / varY : NaN;
  return { theta, centre, varianceReduction, usable: varX > 0 };
}

/** An arm's adjusted ratio and its per-unit delta-method variance (variance / n is the squared SE). */
export function adjustRatioArm(s: RatioCupedStats, theta: number, centre: number): ArmSummary {
  const m = moments(s);
  const g = gradients(m);
  const grad = g.y.map((v, i) => v - theta * g.x[i]!);
  const y = s.sumNum / s.sumDen;
  const x = s.sumPreNum / s.sumPreDen;
  return { n: s.n, mean: y - theta * (x - centre), variance: quadratic(m.cov, grad, grad) };
}

/**
 * Normal (z) comparison of the adjusted ratios. The relative lift is the adjusted difference over
 * the unadjusted control ratio; its variance is the delta method over both arms' four means with
 * θ fixed, the exact gradient of (adjusted diff)/(control ratio) as in GrowthBook's
 * frequentist_variance_relative_cuped_ratio.
 */
export function compareRatioCuped(t: RatioCupedStats, c: RatioCupedStats, fit: RatioCupedFit, alpha: number): CupedComparison {
  const unadjustedT = summarizeRatio(ratioOutcome(t));
  const unadjustedC = summarizeRatio(ratioOutcome(c));
  let unadjusted = compareMeans(unadjustedT, unadjustedC, alpha, Infinity);
  for (const a of [unadjustedT, unadjustedC]) {
    if (a.code !== "OK" && a.code !== "ZERO_VARIANCE" && unadjusted.code === "OK") unadjusted = failedComparison(a.code);
  }
  const { theta, centre, varianceReduction } = fit;
  if (unadjusted.code !== "OK" && unadjusted.code !== "ZERO_VARIANCE")
    return { adjusted: unadjusted, unadjusted, theta, varianceReduction };
  const at = adjustRatioArm(t, theta, centre);
  const ac = adjustRatioArm(c, theta, centre);
  const z = compareMeans(at, ac, alpha, Infinity);
  if (z.code !== "OK" && z.code !== "ZERO_CONTROL_MEAN")
    return { adjusted: failedComparison(z.code), unadjusted, theta, varianceReduction };
  const yc = unadjustedC.mean;
  if (yc === 0) {
    return {
      adjusted: { ...z, code: "ZERO_CONTROL_MEAN", relLift: NaN, relCi: [NaN, NaN], relSe: NaN },
      unadjusted,
      theta,
      varianceReduction,
    };
  }
  const mc = moments(c);
  const gc = gradients(mc);
  const gradC = gc.y.map((v, i) => ((yc + z.diff) / yc) * v - theta * gc.x[i]!);
  const vT = at.variance / (t.n * yc * yc);
  const vC = quadratic(mc.cov, gradC, gradC) / (c.n * yc * yc);
  const relLift = z.diff / yc;
  const adjusted: Comparison = { ...z, code: "OK", relLift, relCi: relativeInterval(relLift, vT + vC, alpha), relSe: Math.sqrt(vT + vC) };
  return { adjusted, unadjusted, theta, varianceReduction };
}
