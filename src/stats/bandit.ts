import { betaCdf, normalCdf, normalPdf } from "./distributions.js";
import { logBeta } from "./incomplete-beta.js";

/**
 * Thompson-sampling allocation without sampling: each arm's weight is its posterior probability of
 * being the best, computed by quadrature, so that the same data always gives the same weights.
 * A floor `minShare` keeps every arm explored; the weights are then renormalised.
 */
export interface BanditArm {
  readonly n: number;
  /** Conversions: successes. Means: Σy (with `sumSq` for the variance). */
  readonly sum: number;
  readonly sumSq?: number;
}

const STEPS = 4000;

function simpson(lo: number, hi: number, f: (x: number) => number): number {
  const h = (hi - lo) / STEPS;
  let total = 0;
  for (let i = 0; i <= STEPS; i++) total += (i === 0 || i === STEPS ? 1 : i % 2 ? 4 : 2) * f(lo + i * h);
  return (total * h) / 3;
}

/** P(arm i has the highest conversion rate) under Beta(1 + s, 1 + n − s) posteriors. */
export function probabilityBestBeta(arms: readonly BanditArm[]): number[] {
  const post = arms.map((a) => ({ a: 1 + a.sum, b: 1 + a.n - a.sum }));
  return post.map((p, i) => {
    const lb = logBeta(p.a, p.b);
    return simpson(0, 1, (x) => {
      if (x <= 0 || x >= 1) return 0;
      let prod = Math.exp((p.a - 1) * Math.log(x) + (p.b - 1) * Math.log1p(-x) - lb);
      post.forEach((q, j) => {
        if (j !== i) prod *= betaCdf(x, q.a, q.b);
      });
      return prod;
    });
  });
}

/** P(arm i has the highest mean) under normal approximations N(ȳ, s²/n). */
export function probabilityBestNormal(arms: readonly BanditArm[]): number[] {
  const post = arms.map((a) => {
    const mean = a.sum / a.n;
    const variance = ((a.sumSq ?? 0) - a.n * mean * mean) / (a.n - 1);
    return { mean, sd: Math.sqrt(Math.max(variance, 0) / a.n) };
  });
  const lo = Math.min(...post.map((p) => p.mean - 12 * p.sd));
  const hi = Math.max(...post.map((p) => p.mean + 12 * p.sd));
  return post.map((p, i) =>
    simpson(lo, hi, (x) => {
      let prod = normalPdf((x - p.mean) / p.sd) / p.sd;
      post.forEach((q, j) => {
        if (j !== i) prod *= normalCdf((x - q.mean) / q.sd);
      });
      return prod;
    }),
  );
}

/** Apply the exploration floor: every arm gets at least `minShare`, the rest in proportion. */
export function banditWeights(probabilityBest: readonly number[], minShare: number): number[] {
  const k = probabilityBest.length;
  const floor = Math.min(minShare, 1 / k);
  const total = probabilityBest.reduce((a, b) => a + b, 0);
  const p = probabilityBest.map((x) => x / total);
  return p.map((x) => floor + (1 - k * floor) * x);
}
