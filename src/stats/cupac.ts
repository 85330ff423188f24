import { studentQuantile, twoSidedP } from "./distributions.js";
import { summarizeMean } from "./moments.js";
import { compareMeans, failedComparison, relativeInterval } from "./welch.js";
import type { Comparison, CupacStats } from "./types.js";

/**
 * Regression adjustment on several covariates (docs/analysis.md#multiple-covariates): the OLS fit of
 * Y ~ variant + X₁ + … + X_k, one intercept per variant and common slopes θ. θ comes from the
 * within-variant cross products pooled over the variants, so the effect of a variant is
 * (ȳ_t − ȳ_c) − θᵀ(x̄_t − x̄_c) and its classical (homoskedastic) standard error is
 * σ̂·√(1/n_t + 1/n_c + dᵀW⁻¹d): statsmodels' OLS treatment coefficient and its non-robust SE, exactly.
 */
export interface CupacFit {
  readonly covariates: readonly string[];
  /** θ per covariate; 0 for one dropped as constant or collinear with the ones before it. */
  readonly theta: readonly number[];
  /** Which covariates entered the fit. */
  readonly used: readonly boolean[];
  /** Residual variance σ̂² = RSS / df. */
  readonly sigma2: number;
  /** N − variants − covariates used. */
  readonly df: number;
  /** Inverse of the pooled within-variant covariate cross products W, over the used covariates (0 elsewhere). */
  readonly wInverse: readonly (readonly number[])[];
  /** 1 − RSS / Σ within-variant SS of Y: the share of Y's variance the covariates explain. */
  readonly varianceReduction: number;
  /** The same share with the first covariate alone (the metric's own pre-period: what single-covariate CUPED achieves). */
  readonly firstCovariateReduction: number;
}

/** A covariate whose residual after the earlier ones is below this share of its own spread adds nothing. */
const COLLINEAR = 1e-10;

interface Centred {
  readonly syy: number;
  readonly sxy: number[];
  readonly sxx: number[][];
}

function centred(a: CupacStats): Centred {
  const k = a.covariates.length;
  const sxy = a.sumX.map((sx, j) => a.sumXY[j]! - (sx * a.sumY) / a.n);
  const sxx = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => a.sumXX[i]![j]! - (a.sumX[i]! * a.sumX[j]!) / a.n));
  return { syy: a.sumY2 - (a.sumY * a.sumY) / a.n, sxy, sxx };
}

/** Gauss–Jordan inverse of a small symmetric positive-definite matrix. */
function invert(m: readonly (readonly number[])[]): number[][] {
  const k = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const pivot = a[c]![c]!;
    for (let j = 0; j < 2 * k; j++) a[c]![j]! /= pivot;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f !== 0) for (let j = 0; j < 2 * k; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((row) => row.slice(k));
}

const quadratic = (m: readonly (readonly number[])[], u: readonly number[], v: readonly number[]) =>
  u.reduce((s, ui, i) => s + ui * m[i]!.reduce((t, mij, j) => t + mij * v[j]!, 0), 0);

/** The covariates, in order, that are not constant within variants nor a combination of the earlier ones. */
function usableCovariates(w: readonly (readonly number[])[]): boolean[] {
  const used: boolean[] = [];
  const kept: number[] = [];
  for (let j = 0; j < w.length; j++) {
    const own = w[j]![j]!;
    let residual = own;
    if (kept.length > 0) {
      const inv = invert(kept.map((a) => kept.map((b) => w[a]![b]!)));
      const cross = kept.map((a) => w[a]![j]!);
      residual -= quadratic(inv, cross, cross);
    }
    const ok = own > 0 && residual > COLLINEAR * own;
    used.push(ok);
    if (ok) kept.push(j);
  }
  return used;
}

/** Fits θ over every variant's units; undefined when the arms do not carry the same covariates or are empty. */
export function fitCupac(arms: readonly CupacStats[]): CupacFit | undefined {
  const first = arms[0];
  if (!first || arms.some((a) => !(a.n > 0) || a.covariates.join("\n") !== first.covariates.join("\n"))) return undefined;
  const k = first.covariates.length;
  const parts = arms.map(centred);
  const w = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => parts.reduce((s, p) => s + p.sxx[i]![j]!, 0)));
  const wy = Array.from({ length: k }, (_, j) => parts.reduce((s, p) => s + p.sxy[j]!, 0));
  const syy = parts.reduce((s, p) => s + p.syy, 0);
  const used = usableCovariates(w);
  const kept = used.flatMap((u, j) => (u ? [j] : []));
  const keptInverse = kept.length > 0 ? invert(kept.map((a) => kept.map((b) => w[a]![b]!))) : [];
  const wInverse = Array.from({ length: k }, () => Array.from({ length: k }, () => 0));
  kept.forEach((a, i) => kept.forEach((b, j) => (wInverse[a]![b] = keptInverse[i]![j]!)));
  const theta = wInverse.map((row) => row.reduce((s, v, j) => s + v * wy[j]!, 0));
  const rss = syy - theta.reduce((s, t, j) => s + t * wy[j]!, 0);
  const n = arms.reduce((s, a) => s + a.n, 0);
  const df = n - arms.length - kept.length;
  const firstCovariateReduction = used[0] ? (wy[0]! * wy[0]!) / (w[0]![0]! * syy) : 0;
  return {
    covariates: first.covariates,
    theta,
    used,
    sigma2: df > 0 ? rss / df : NaN,
    df,
    wInverse,
    varianceReduction: syy > 0 ? 1 - rss / syy : NaN,
    firstCovariateReduction: syy > 0 ? firstCovariateReduction : NaN,
  };
}

export interface CupacComparison {
  readonly adjusted: Comparison;
  readonly unadjusted: Comparison;
}

const outcome = (s: CupacStats) => summarizeMean({ kind: "mean", n: s.n, sum: s.sumY, sumSq: s.sumY2 });

/**
 * The regression-adjusted effect of t against c with Student-t inference on the fit's degrees of
 * freedom. The relative lift divides it by the unadjusted control mean, with the delta-method
 * variance of that quotient (θ held fixed), as single-covariate CUPED does.
 */
export function compareCupac(t: CupacStats, c: CupacStats, fit: CupacFit, alpha: number): CupacComparison {
  const yt = outcome(t);
  const yc = outcome(c);
  const unadjusted = compareMeans(yt, yc, alpha);
  if (unadjusted.code === "EMPTY_ARM" || unadjusted.code === "TOO_FEW_UNITS") return { adjusted: unadjusted, unadjusted };
  if (!(fit.df > 0)) return { adjusted: failedComparison("TOO_FEW_UNITS"), unadjusted };
  const d = t.sumX.map((sx, j) => sx / t.n - c.sumX[j]! / c.n);
  const diff = yt.mean - yc.mean - fit.theta.reduce((s, th, j) => s + th * d[j]!, 0);
  const se2 = fit.sigma2 * (1 / t.n + 1 / c.n + quadratic(fit.wInverse, d, d));
  if (se2 < 0) return { adjusted: failedComparison("NEGATIVE_VARIANCE"), unadjusted };
  if (!(se2 > 0)) return { adjusted: failedComparison("ZERO_VARIANCE"), unadjusted };
  const se = Math.sqrt(se2);
  const q = studentQuantile(1 - alpha / 2, fit.df);
  const base = { diff, diffCi: [diff - q * se, diff + q * se] as const, pValue: twoSidedP(diff / se, fit.df), se, df: fit.df };
  if (yc.mean === 0) {
    return { adjusted: { ...base, code: "ZERO_CONTROL_MEAN", relLift: NaN, relCi: [NaN, NaN], relSe: NaN }, unadjusted };
  }
  // cov(adjusted diff, ȳ_c) = −cov(ȳ_c − θᵀx̄_c, ȳ_c) with θ fixed.
  const sxyC = c.sumX.map((sx, j) => (c.sumXY[j]! - (sx * c.sumY) / c.n) / (c.n - 1));
  const varMeanC = yc.variance / c.n;
  const covDiffMeanC = -(yc.variance - fit.theta.reduce((s, th, j) => s + th * sxyC[j]!, 0)) / c.n;
  const b = yc.mean;
  const relLift = diff / b;
  const relVar = se2 / (b * b) + (diff * diff * varMeanC) / b ** 4 - (2 * diff * covDiffMeanC) / b ** 3;
  return {
    adjusted: { ...base, code: "OK", relLift, relCi: relativeInterval(relLift, relVar, alpha), relSe: Math.sqrt(relVar) },
    unadjusted,
  };
}
