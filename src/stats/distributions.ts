import jstatModule from "jstat";
import { incompleteBeta, logBeta, logBetaDensity, logIncompleteBeta } from "./incomplete-beta.js";
import { inverseIncompleteBeta } from "./inverse-beta.js";
import { logUpperIncompleteGamma, lowerIncompleteGamma, upperIncompleteGamma } from "./incomplete-gamma.js";

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

/** log Φ(x), finite far into the lower tail where Φ underflows. */
export function normalLogCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return Math.log(0.5) + logUpperIncompleteGamma(0.5, (x * x) / 2);
  return Math.log1p(-0.5 * upperIncompleteGamma(0.5, (x * x) / 2));
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function normalLogPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

/**
 * The x with log Φ(x) = logP, for lower-tail probabilities too small for a double (a first
 * look that spends 1e-1000 of α). Newton steps on log Φ, which is concave.
 */
export function normalQuantileFromLog(logP: number): number {
  if (!(logP < 0)) return logP === 0 ? Infinity : NaN;
  if (logP === -Infinity) return -Infinity;
  let x: number;
  if (logP > -700) x = normalQuantile(Math.exp(logP));
  else {
    const t = -2 * logP;
    x = -Math.sqrt(t - Math.log(2 * Math.PI * t));
  }
  for (let i = 0; i < 60; i++) {
    const step = (normalLogCdf(x) - logP) / Math.exp(normalLogPdf(x) - normalLogCdf(x));
    x -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
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

/** Upper tail of χ²(df): Q(df/2, x/2), accurate in relative terms until it underflows to 0. */
export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  if (x <= 0) return 1;
  return upperIncompleteGamma(df / 2, x / 2);
}

export function chiSquareCdf(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return NaN;
  return lowerIncompleteGamma(df / 2, Math.max(x, 0) / 2);
}

export function chiSquareQuantile(p: number, df: number): number {
  return jStat.chisquare.inv(p, df);
}

export function noncentralTCdf(x: number, df: number, ncp: number): number {
  return jStat.noncentralt.cdf(x, df, ncp);
}

/**
 * The Beta(a, b) distribution. `y` = 1 − x may be passed where it is known more precisely than
 * 1 − x. The log forms stay finite where the tails underflow.
 */
export function betaCdf(x: number, a: number, b: number, y = 1 - x): number {
  return incompleteBeta(x, a, b, y);
}

export function betaSf(x: number, a: number, b: number, y = 1 - x): number {
  return incompleteBeta(y, b, a, x);
}

export function betaLogCdf(x: number, a: number, b: number, y = 1 - x): number {
  return logIncompleteBeta(x, a, b, y);
}

export function betaLogSf(x: number, a: number, b: number, y = 1 - x): number {
  return logIncompleteBeta(y, b, a, x);
}

export function betaPdf(x: number, a: number, b: number): number {
  return Math.exp(logBetaDensity(x, a, b));
}

export function betaLogPdf(x: number, a: number, b: number, y = 1 - x): number {
  return logBetaDensity(x, a, b, y);
}

/** The p-quantile of Beta(a, b) (the inverse regularized incomplete beta). */
export function betaQuantile(p: number, a: number, b: number): number {
  return inverseIncompleteBeta(p, a, b);
}
