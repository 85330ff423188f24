import { betaLogCdf, betaLogPdf, betaLogSf } from "./distributions.js";
import { logIntegralOfLogConcave } from "./log-concave-integral.js";

/**
 * Integrals over two independent Beta posteriors X ~ Beta(x.a, x.b), Y ~ Beta(y.a, y.b), each a
 * one-dimensional integral of a log-concave integrand (`log-concave-integral.ts`), in logs so that
 * a tail probability of 1e-400 is as exact as one of 0.3.
 */
export interface BetaPosterior {
  readonly a: number;
  readonly b: number;
}

/** Beta(1 + successes, 1 + failures): the posterior of a rate under the uniform Beta(1, 1) prior. */
export function betaPosterior(successes: number, n: number): BetaPosterior {
  return { a: 1 + successes, b: 1 + n - successes };
}

export function posteriorMean(p: BetaPosterior): number {
  return p.a / (p.a + p.b);
}

export function posteriorSd(p: BetaPosterior): number {
  const s = p.a + p.b;
  return Math.sqrt((p.a * p.b) / (s * s * (s + 1)));
}

/** log P(X > Y) = log ∫ f_X(t) F_Y(t) dt. */
export function logProbabilityGreater(x: BetaPosterior, y: BetaPosterior): number {
  return logIntegralOfLogConcave((t) => betaLogPdf(t, x.a, x.b) + betaLogCdf(t, y.a, y.b), 0, 1);
}

/** log E[(Y − X)⁺] = log ∫ F_X(t)·S_Y(t) dt, since (Y − X)⁺ = ∫ 1{X < t < Y} dt. */
export function logExpectedShortfall(x: BetaPosterior, y: BetaPosterior): number {
  return logIntegralOfLogConcave((t) => betaLogCdf(t, x.a, x.b) + betaLogSf(t, y.a, y.b), 0, 1);
}

/**
 * log P(X − Y ≤ d) = log(∫ f_Y(t)·F_X(t + d) dt + P(Y > 1 − d)), or the upper tail
 * log P(X − Y > d) = log(∫ f_Y(t)·S_X(t + d) dt + P(Y < −d)) with `upper`; the integrals run over the
 * t where t + d is inside (0, 1), and the added terms are the rest of Y's mass, where X's tail is 1.
 */
export function logDifferenceTail(x: BetaPosterior, y: BetaPosterior, d: number, upper: boolean): number {
  if (d <= -1) return upper ? 0 : -Infinity;
  if (d >= 1) return upper ? -Infinity : 0;
  const tail = upper ? betaLogSf : betaLogCdf;
  const inside = logIntegralOfLogConcave(
    (t) => betaLogPdf(t, y.a, y.b) + tail(t + d, x.a, x.b, 1 - d - t),
    Math.max(0, -d),
    Math.min(1, 1 - d),
  );
  const rest = upper ? (d < 0 ? betaLogCdf(-d, y.a, y.b, 1 + d) : -Infinity) : d > 0 ? betaLogSf(1 - d, y.a, y.b, d) : -Infinity;
  const top = Math.max(inside, rest);
  return top === -Infinity ? -Infinity : top + Math.log(Math.exp(inside - top) + Math.exp(rest - top));
}

/**
 * The p-quantile of X − Y (p below 1/2 from the lower tail, above from the upper), by regula falsi
 * (Illinois) on the log tail from a bracket around the normal approximation. Always in (−1, 1).
 */
export function differenceQuantile(x: BetaPosterior, y: BetaPosterior, p: number): number {
  const upper = p > 0.5;
  const logTarget = upper ? Math.log1p(-p) : Math.log(p);
  // Increasing in d either way.
  const h = (d: number): number => (upper ? logTarget - logDifferenceTail(x, y, d, true) : logDifferenceTail(x, y, d, false) - logTarget);
  const sd = Math.hypot(posteriorSd(x), posteriorSd(y));
  const centre = posteriorMean(x) - posteriorMean(y);
  const toward = (from: number, step: number): number =>
    step > 0 ? Math.min(from + step, (from + 1) / 2) : Math.max(from + step, (from - 1) / 2);
  let a = Math.min(Math.max(centre, -1 + 1e-300), 1 - 1e-300);
  let fa = h(a);
  let step = (fa < 0 ? 1 : -1) * sd;
  let b = toward(a, step);
  let fb = h(b);
  for (let i = 0; i < 200 && Math.sign(fb) === Math.sign(fa) && fb !== 0; i++) {
    a = b;
    fa = fb;
    step *= 2;
    b = toward(a, step);
    fb = h(b);
  }
  // Illinois: [a, b] brackets the root; the end kept twice in a row has its value halved.
  let side = 0;
  for (let i = 0; i < 200 && fb !== 0 && Math.abs(b - a) > 1e-15 * Math.max(1e-10, Math.abs(a) + Math.abs(b)); i++) {
    const c = Number.isFinite(fa) && Number.isFinite(fb) ? (a * fb - b * fa) / (fb - fa) : (a + b) / 2;
    const fc = h(c);
    if (Math.sign(fc) === Math.sign(fb)) {
      b = c;
      fb = fc;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = c;
      fa = fc;
      if (side === 1) fb /= 2;
      side = 1;
    }
  }
  return Math.abs(fa) < Math.abs(fb) ? a : b;
}
