import { logBinomialTerm } from "./binomial-term.js";
import { logBeta } from "./log-gamma.js";

export { logBeta, logGamma } from "./log-gamma.js";

/**
 * The regularized incomplete beta function in plain double precision.
 * jstat's Student t CDF loses about 1e-8 relative accuracy at large degrees of freedom,
 * which is more than the reference tolerance allows, so the t distribution is built on these.
 */

/** Continued fraction for I_x(a, b) (modified Lentz), valid for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 20000; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/**
 * log(x^a · y^b / B(a, b)), the factor in front of the continued fraction. With both parameters
 * above 2 it is taken from the binomial term (Loader's saddle-point form), because a·log x +
 * b·log y − log B(a, b) cancels terms of size a + b and loses about (a + b)·1e-16 relative, which
 * is 1e-9 for posteriors of ten million units.
 */
function logFront(x: number, a: number, b: number, y: number): number {
  if (a > 2 && b > 2) return logBinomialTerm(a, a + b, x, y) + Math.log((a * b) / (a + b));
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  return a * logX + b * logY - logBeta(a, b);
}

/**
 * log I_x(a, b), accurate in relative terms far into the lower tail, where I_x itself underflows.
 * Pass `y` = 1 − x when it is known more precisely than 1 − x can be computed.
 */
export function logIncompleteBeta(x: number, a: number, b: number, y = 1 - x): number {
  if (!(x > 0)) return x === 0 || x < 0 ? -Infinity : NaN;
  if (!(y > 0)) return 0;
  // Closed forms for a posterior with no successes or no failures: I_x(a, 1) = x^a and
  // I_x(1, b) = 1 − y^b. The continued fraction loses up to a·1e-16 there when a is large.
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  if (b === 1) return a * logX;
  if (a === 1) return log1mExp(b * logY);
  if (x < (a + 1) / (a + b + 2)) return logFront(x, a, b, y) + Math.log(betaContinuedFraction(x, a, b) / a);
  return Math.log1p(-Math.exp(logFront(y, b, a, x)) * (betaContinuedFraction(y, b, a) / b));
}

/** log(1 − e^v) for v ≤ 0, accurate at both ends. */
function log1mExp(v: number): number {
  return v > -Math.LN2 ? Math.log(-Math.expm1(v)) : Math.log1p(-Math.exp(v));
}

/**
 * Regularized incomplete beta I_x(a, b). Pass `y` = 1 − x when it is known more precisely than
 * 1 − x can be computed (as for the t distribution at large degrees of freedom).
 */
export function incompleteBeta(x: number, a: number, b: number, y = 1 - x): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (a === 1 || b === 1) return Math.exp(logIncompleteBeta(x, a, b, y));
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront(x, a, b, y)) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront(y, b, a, x)) * betaContinuedFraction(y, b, a)) / b;
}

/** log of the Beta(a, b) density at x (y = 1 − x), with the binomial term when both parameters exceed 2. */
export function logBetaDensity(x: number, a: number, b: number, y = 1 - x): number {
  if (!(x >= 0 && y >= 0)) return NaN;
  if (a > 2 && b > 2) {
    if (x === 0 || y === 0) return -Infinity;
    return Math.log(a + b - 1) + logBinomialTerm(a - 1, a + b - 2, x, y);
  }
  const logX = x > 0.5 ? Math.log1p(-y) : Math.log(x);
  const logY = y > 0.5 ? Math.log1p(-x) : Math.log(y);
  // 0 · log 0 is 0 here: Beta(1, b) has density b at x = 0.
  return (a === 1 ? 0 : (a - 1) * logX) + (b === 1 ? 0 : (b - 1) * logY) - logBeta(a, b);
}
