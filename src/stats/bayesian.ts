import { betaQuantile, normalCdf, normalPdf, normalQuantile } from "./distributions.js";
import {
  betaPosterior,
  differenceQuantile,
  logExpectedShortfall,
  logProbabilityGreater,
  posteriorMean,
  type BetaPosterior,
} from "./beta-posterior.js";
import type { Interval } from "./types.js";

export interface BayesianResult {
  /** P(treatment beats control) in the metric's good direction. */
  readonly chanceToWin: number;
  /** P(control beats treatment), computed on its own so that a tiny value keeps its digits. */
  readonly chanceToLose: number;
  /** Expected loss of choosing the treatment (same units as the effect). */
  readonly expectedLoss: number;
  /** Expected loss of keeping control. */
  readonly expectedLossControl: number;
  readonly mean: number;
  readonly ci: Interval;
  /** Conversions: each arm's equal-tailed credible interval for its rate, from the Beta quantiles. */
  readonly rateCi?: { readonly treatment: Interval; readonly control: Interval };
}

/** The equal-tailed 1 − α credible interval of a rate under its Beta posterior: always inside [0, 1]. */
export function betaCredibleInterval(posterior: BetaPosterior, alpha: number): Interval {
  return [betaQuantile(alpha / 2, posterior.a, posterior.b), betaQuantile(1 - alpha / 2, posterior.a, posterior.b)];
}

/**
 * Conversions with Beta(1, 1) priors: posteriors Beta(1 + s, 1 + n − s). Every quantity is a
 * one-dimensional integral of a log-concave integrand (`beta-posterior.ts`):
 * P(p_t > p_c) = ∫ f_t F_c, the expected losses E[(p_c − p_t)⁺] = ∫ F_t S_c and E[(p_t − p_c)⁺] =
 * ∫ F_c S_t. The chance to win is w / (w + l) with w = P(p_t > p_c) and l = P(p_c > p_t) computed by
 * the same routine with the arms swapped, so identical data give exactly 1/2. The effect is the
 * absolute difference of the posterior means, with the equal-tailed credible interval of
 * p_t − p_c from its exact distribution (inside [−1, 1]).
 */
export function betaBinomialComparison(successT: number, nT: number, successC: number, nC: number, alpha: number): BayesianResult {
  const t = betaPosterior(successT, nT);
  const c = betaPosterior(successC, nC);
  const logWin = logProbabilityGreater(t, c);
  const logLose = logProbabilityGreater(c, t);
  // w / (w + l) without forming w or l, which may underflow.
  const chanceToWin = 1 / (1 + Math.exp(logLose - logWin));
  const chanceToLose = 1 / (1 + Math.exp(logWin - logLose));
  return {
    chanceToWin,
    chanceToLose,
    expectedLoss: Math.exp(logExpectedShortfall(t, c)),
    expectedLossControl: Math.exp(logExpectedShortfall(c, t)),
    mean: posteriorMean(t) - posteriorMean(c),
    ci: [differenceQuantile(t, c, alpha / 2), differenceQuantile(t, c, 1 - alpha / 2)],
    rateCi: { treatment: betaCredibleInterval(t, alpha), control: betaCredibleInterval(c, alpha) },
  };
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
    chanceToWin: normalCdf(mean / sd),
    chanceToLose: normalCdf(-mean / sd),
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
  const pPos = normalCdf(r);
  const pNeg = normalCdf(-r);
  const tail = sigma * normalPdf(r);
  const gain = mu * pPos + tail; // P(X>0)·E[X | X>0]
  const loss = -(mu * pNeg - tail); // −P(X<0)·E[X | X<0]
  return [gain, loss];
}
