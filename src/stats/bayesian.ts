import { betaCdf, normalCdf, normalPdf, normalQuantile } from "./distributions.js";
import { logBeta as logBetaFn } from "./incomplete-beta.js";
import type { Interval } from "./types.js";

export interface BayesianResult {
  /** P(treatment beats control) in the metric's good direction. */
  readonly chanceToWin: number;
  /** Expected loss of choosing the treatment (same units as the effect). */
  readonly expectedLoss: number;
  /** Expected loss of keeping control. */
  readonly expectedLossControl: number;
  readonly mean: number;
  readonly ci: Interval;
}

/**
 * Conversions with Beta(1, 1) priors: posteriors Beta(1 + s, 1 + n − s). P(p_t > p_c) and the
 * expected losses E[max(p_c − p_t, 0)], E[max(p_t − p_c, 0)] are one-dimensional integrals over p_t
 * (composite Simpson), using E[(p − x)⁺] = μ(1 − I_x(a+1, b)) − x(1 − I_x(a, b)) for p ~ Beta(a, b).
 * The effect reported is the absolute difference, with a normal-approximation credible interval.
 */
export function betaBinomialComparison(successT: number, nT: number, successC: number, nC: number, alpha: number): BayesianResult {
  const at = 1 + successT,
    bt = 1 + nT - successT;
  const ac = 1 + successC,
    bc = 1 + nC - successC;
  const meanT = at / (at + bt),
    meanC = ac / (ac + bc);
  const sdT = Math.sqrt((at * bt) / ((at + bt) ** 2 * (at + bt + 1)));
  const lo = Math.max(0, meanT - 12 * sdT);
  const hi = Math.min(1, meanT + 12 * sdT);
  const steps = 4000;
  const h = (hi - lo) / steps;
  let win = 0,
    lossT = 0,
    lossC = 0,
    mass = 0;
  for (let i = 0; i <= steps; i++) {
    const x = lo + i * h;
    const w = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    const density = betaDensity(x, at, bt);
    const cdfC = betaCdf(x, ac, bc);
    // E[(p_c − x)⁺] and E[(x − p_c)⁺] = E[(p_c − x)⁺] − (μ_c − x).
    const above = meanC * (1 - betaCdf(x, ac + 1, bc)) - x * (1 - cdfC);
    mass += w * density;
    win += w * density * cdfC;
    lossT += w * density * above;
    lossC += w * density * (above - (meanC - x));
  }
  const diff = meanT - meanC;
  const sd = Math.sqrt(sdT * sdT + (ac * bc) / ((ac + bc) ** 2 * (ac + bc + 1)));
  const z = normalQuantile(1 - alpha / 2);
  return {
    chanceToWin: win / mass,
    expectedLoss: lossT / mass,
    expectedLossControl: lossC / mass,
    mean: diff,
    ci: [diff - z * sd, diff + z * sd],
  };
}

function betaDensity(x: number, a: number, b: number): number {
  if (x <= 0 || x >= 1) return 0;
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBetaFn(a, b));
}

export interface NormalPrior {
  readonly mean: number;
  readonly variance: number;
}

/**
 * Normal model on an effect (the relative lift for non-conversion metrics): the likelihood is
 * N(estimate, se²); with a prior N(m, v) the posterior is the precision-weighted combination,
 * without one it is the likelihood itself. Risk follows GrowthBook: [P(>0)·E[X|X>0], −P(<0)·E[X|X<0]].
 */
export function normalEffectPosterior(estimate: number, se: number, alpha: number, prior?: NormalPrior): BayesianResult {
  let mean = estimate;
  let sd = se;
  if (prior && prior.variance > 0) {
    const precision = 1 / (se * se) + 1 / prior.variance;
    mean = (estimate / (se * se) + prior.mean / prior.variance) / precision;
    sd = Math.sqrt(1 / precision);
  }
  const z = normalQuantile(1 - alpha / 2);
  const [riskControl, riskTreatment] = normalRisk(mean, sd);
  return {
    chanceToWin: 1 - normalCdf(-mean / sd),
    expectedLoss: riskTreatment,
    expectedLossControl: riskControl,
    mean,
    ci: [mean - z * sd, mean + z * sd],
  };
}

/** [loss of keeping control, loss of choosing treatment] for an effect X ~ N(mu, sigma²). */
export function normalRisk(mu: number, sigma: number): [number, number] {
  const r = mu / sigma;
  // Far in a tail the losses are exactly the mean and zero; the formula would lose them to round-off.
  if (r > 37) return [mu, 0];
  if (r < -37) return [0, -mu];
  const pPos = 1 - normalCdf(-r);
  const pNeg = normalCdf(-r);
  const tail = sigma * normalPdf(r);
  const gain = mu * pPos + tail; // P(X>0)·E[X | X>0]
  const loss = -(mu * pNeg - tail); // −P(X<0)·E[X | X<0]
  return [gain, loss];
}
