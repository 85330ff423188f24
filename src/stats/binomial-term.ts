import { logGamma, stirlingSeries } from "./log-gamma.js";

/**
 * Catherine Loader's saddle-point form of the binomial probability ("Fast and accurate computation
 * of binomial probabilities", 2000; R's dbinom_raw): log C(n, k)·p^k·q^(n−k) without the
 * cancellation of n·log p against log C(n, k), so it keeps full relative precision at any n.
 * k and n need not be integers (the Beta density is this term with k = a − 1, n = a + b − 2).
 */

const LOG_2PI = Math.log(2 * Math.PI);

/** log Γ(n + 1) − log(√(2πn)·(n/e)^n), the error of Stirling's formula. */
export function stirlingError(n: number): number {
  if (n >= 15) return stirlingSeries(n);
  return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - 0.5 * LOG_2PI;
}

/** The deviance term k·log(k/m) + m − k, by its series when k is close to m. */
export function deviance(k: number, m: number): number {
  if (Math.abs(k - m) < 0.1 * (k + m)) {
    let v = (k - m) / (k + m);
    let s = (k - m) * v;
    if (Math.abs(s) < Number.MIN_VALUE) return s;
    let ej = 2 * k * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = s + ej / (2 * j + 1);
      if (next === s) return next;
      s = next;
    }
  }
  return k * Math.log(k / m) + m - k;
}

/** log(C(n, k)·p^k·q^(n−k)), with q = 1 − p passed separately so that it keeps its precision. */
export function logBinomialTerm(k: number, n: number, p: number, q: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (q === 0) return k === n ? 0 : -Infinity;
  if (k === 0) return n === 0 ? 0 : p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q);
  if (k === n) return q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p);
  if (k < 0 || k > n) return -Infinity;
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  return lc - 0.5 * (LOG_2PI + Math.log(k) + Math.log1p(-k / n));
}
