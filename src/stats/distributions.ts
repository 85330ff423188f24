import jstatModule from "jstat";
import { incompleteBeta, logBeta } from "./incomplete-beta.js";
import { upperIncompleteGamma } from "./incomplete-gamma.js";

/**
 * The distributions the engine needs, over jstat. Quantiles are polished with Newton steps
 * because jstat's inverses stop at about 1e-8 relative error, short of the reference tolerance.
 */
const { jStat } = jstatModule as unknown as typeof import("jstat");

export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const tail = 0.5 * upperIncompleteGamma(0.5, (x * x) / 2);
  return x < 0 ? tail : 1 - tail;
}

/** Upper tail 1 − Φ(x), computed on the lower side to keep precision for large x. */
export function normalSf(x: number): number {
  return normalCdf(-x);
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  let x = jStat.normal.inv(p, 0, 1);
  // Newton steps on the side where the tail probability is small keep relative accuracy.
  for (let i = 0; i < 8; i++) {
    const f = p < 0.5 ? normalCdf(x) - p : 1 - p - normalSf(x);
    const step = f / normalPdf(x);
    x -= step;
    if (Math.abs(step) < 1e-16 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** Student t CDF; df = Infinity means the normal. */
export function studentCdf(x: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e12) return normalCdf(x);
  const tail = 0.5 * incompleteBeta(df / (df + x * x), df / 2, 0.5, (x * x) / (df + x * x));
  return x < 0 ? tail : 1 - tail;
}

export function studentPdf(x: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e12) return normalPdf(x);
  return Math.exp(-((df + 1) / 2) * Math.log1p((x * x) / df) - 0.5 * Math.log(df) - logBeta(0.5, df / 2));
}

/** Two-sided p-value of a t (or z, with df = Infinity) statistic. */
export function twoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return NaN;
  return Math.min(1, 2 * studentCdf(-Math.abs(t), df));
}

export function studentQuantile(p: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e12) return normalQuantile(p);
  let x = jStat.studentt.inv(p, df);
  for (let i = 0; i < 60; i++) {
    const f = studentCdf(x, df) - p;
    const d = studentPdf(x, df);
    if (!(d > 0)) break;
    const step = f / d;
    x -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

export function chiSquareSf(x: number, df: number): number {
  if (x <= 0) return 1;
  return 1 - jStat.chisquare.cdf(x, df);
}

export function chiSquareCdf(x: number, df: number): number {
  return jStat.chisquare.cdf(x, df);
}

export function chiSquareQuantile(p: number, df: number): number {
  return jStat.chisquare.inv(p, df);
}

export function noncentralTCdf(x: number, df: number, ncp: number): number {
  return jStat.noncentralt.cdf(x, df, ncp);
}

export function betaCdf(x: number, a: number, b: number): number {
  return jStat.beta.cdf(x, a, b);
}

export function betaPdf(x: number, a: number, b: number): number {
  return jStat.beta.pdf(x, a, b);
}
