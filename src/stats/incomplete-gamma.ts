import { logGamma } from "./log-gamma.js";

/**
 * Regularized incomplete gamma P(a, x) and Q(a, x) = 1 − P(a, x): the series for P below
 * x < a + 1 and the continued fraction (modified Lentz) for Q above. Each tail is computed
 * directly where it is the small one, never as 1 minus the other, so the χ² and normal tails
 * keep their relative precision until they underflow (jstat's erfc drifts by about 1e-5 relative
 * beyond seven standard deviations; 1 − cdf loses everything past χ² ≈ 40).
 */

function logPrefix(a: number, x: number): number {
  return -x + a * Math.log(x) - logGamma(a);
}

/** The series Σ xⁿ/(a(a+1)…(a+n)): P(a, x) = e^{−x} x^a / Γ(a) · series. */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 10000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return sum;
}

/** The continued fraction of Q(a, x) = e^{−x} x^a / Γ(a) · fraction, for x ≥ a + 1. */
function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** Q(a, x), the upper tail. */
export function upperIncompleteGamma(a: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(a)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) return 1 - lowerSeries(a, x) * Math.exp(logPrefix(a, x));
  return Math.exp(logPrefix(a, x)) * upperFraction(a, x);
}

/** P(a, x), the lower tail. */
export function lowerIncompleteGamma(a: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(a)) return NaN;
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  if (x < a + 1) return lowerSeries(a, x) * Math.exp(logPrefix(a, x));
  return 1 - Math.exp(logPrefix(a, x)) * upperFraction(a, x);
}

/** log Q(a, x), finite where Q itself underflows (the far normal tail, for example). */
export function logUpperIncompleteGamma(a: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(a)) return NaN;
  if (x <= 0) return 0;
  if (x === Infinity) return -Infinity;
  if (x < a + 1) return Math.log1p(-lowerSeries(a, x) * Math.exp(logPrefix(a, x)));
  return logPrefix(a, x) + Math.log(upperFraction(a, x));
}
