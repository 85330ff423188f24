import { betaLogCdf, betaLogPdf, normalLogCdf, normalLogPdf } from "./distributions.js";
import { betaPosterior } from "./beta-posterior.js";
import { logIntegralOfLogConcave } from "./log-concave-integral.js";

/**
 * Thompson-sampling allocation without sampling: each arm's weight is its posterior probability of
 * being the best, computed by quadrature, so that the same data always gives the same weights.
 * A floor `minShare` keeps every arm explored; the weights are then renormalised.
 *
 * P(arm i is best) = ∫ f_i(x) ∏_{j≠i} F_j(x) dx, a log-concave integrand integrated where it lives
 * (`log-concave-integral.ts`), so it is accurate whether the posteriors are wide (a hundred units)
 * or 1e-4 wide (ten million units). Arms with identical posteriors share one integral, so they
 * get exactly equal probabilities, and k identical arms get exactly 1/k.
 */
export interface BanditArm {
  readonly n: number;
  /** Conversions: successes. Means: Σy (with `sumSq` for the variance). */
  readonly sum: number;
  readonly sumSq?: number;
}

interface Law {
  readonly key: string;
  readonly logPdf: (x: number) => number;
  readonly logCdf: (x: number) => number;
  readonly lo: number;
  readonly hi: number;
}

function probabilityBest(laws: readonly Law[]): number[] {
  const groups = new Map<string, { law: Law; size: number }>();
  for (const law of laws) {
    const g = groups.get(law.key);
    if (g) g.size++;
    else groups.set(law.key, { law, size: 1 });
  }
  if (groups.size === 1) return laws.map(() => 1 / laws.length);
  const byKey = new Map<string, number>();
  for (const [key, { law, size }] of groups) {
    const others = [...groups.values()].filter((g) => g.law.key !== key);
    const logF = (x: number): number => {
      let v = law.logPdf(x) + (size > 1 ? (size - 1) * law.logCdf(x) : 0);
      for (const o of others) v += o.size * o.law.logCdf(x);
      return v;
    };
    byKey.set(key, Math.exp(logIntegralOfLogConcave(logF, law.lo, law.hi)));
  }
  return laws.map((law) => byKey.get(law.key)!);
}

/** P(arm i has the highest conversion rate) under Beta(1 + s, 1 + n − s) posteriors. */
export function probabilityBestBeta(arms: readonly BanditArm[]): number[] {
  if (arms.some((a) => !(a.n >= 0 && a.sum >= 0 && a.sum <= a.n && Number.isFinite(a.n)))) return arms.map(() => NaN);
  return probabilityBest(
    arms.map((arm) => {
      const { a, b } = betaPosterior(arm.sum, arm.n);
      return {
        key: `${a}/${b}`,
        logPdf: (x) => betaLogPdf(x, a, b),
        logCdf: (x) => betaLogCdf(x, a, b),
        lo: 0,
        hi: 1,
      };
    }),
  );
}

/**
 * P(arm i has the highest mean) under normal approximations N(ȳ, s²/n). An arm whose units all
 * have the same value (s² = 0, e.g. no revenue yet) takes the pooled within-arm variance of all
 * arms instead: zero spread in a sample is not certainty about the mean. When no arm has any
 * spread the posteriors are points: the arms with the highest mean share P(best) equally.
 * Non-finite statistics, or an arm with fewer than two units, give NaN.
 */
export function probabilityBestNormal(arms: readonly BanditArm[]): number[] {
  const moments = arms.map((a) => {
    const mean = a.sum / a.n;
    return { n: a.n, mean, variance: Math.max(((a.sumSq ?? 0) - a.n * mean * mean) / (a.n - 1), 0) };
  });
  if (moments.some((m) => !(m.n >= 2) || !Number.isFinite(m.mean) || !Number.isFinite(m.variance))) return arms.map(() => NaN);
  const pooled = moments.reduce((s, m) => s + (m.n - 1) * m.variance, 0) / moments.reduce((s, m) => s + m.n - 1, 0);
  if (!(pooled > 0)) {
    const top = Math.max(...moments.map((m) => m.mean));
    const leaders = moments.filter((m) => m.mean === top).length;
    return moments.map((m) => (m.mean === top ? 1 / leaders : 0));
  }
  return probabilityBest(
    moments.map((m) => {
      const sd = Math.sqrt((m.variance > 0 ? m.variance : pooled) / m.n);
      return {
        key: `${m.mean}/${sd}`,
        logPdf: (x) => normalLogPdf((x - m.mean) / sd) - Math.log(sd),
        logCdf: (x) => normalLogCdf((x - m.mean) / sd),
        lo: m.mean - 40 * sd,
        hi: m.mean + 40 * sd,
      };
    }),
  );
}

/**
 * Apply the exploration floor: every arm gets at least `minShare` (at most 1/k), the rest in
 * proportion to P(best). Probabilities that do not sum to a positive number give NaN.
 */
export function banditWeights(probabilityBest: readonly number[], minShare: number): number[] {
  const k = probabilityBest.length;
  const floor = Math.min(Math.max(minShare, 0), 1 / k);
  const total = probabilityBest.reduce((a, b) => a + b, 0);
  if (!(total > 0 && Number.isFinite(total)) || probabilityBest.some((x) => !(x >= 0))) return probabilityBest.map(() => NaN);
  return probabilityBest.map((x) => floor + (1 - k * floor) * (x / total));
}
