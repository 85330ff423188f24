import { normalQuantile } from "./distributions.js";
import { num, pair, type Num, type Pair } from "./analysis-types.js";

/**
 * Off-policy evaluation of a target policy from logs of another: each record has the reward, the
 * logging propensity of the logged action and the target policy's probability of that action
 * (and, for the doubly robust estimator, the reward model's predictions).
 *   IPS   = mean(r · π/μ)
 *   SNIPS = Σ r · π/μ / Σ π/μ
 *   DR    = mean(q̂_π + (π/μ)(r − q̂_logged)), q̂_π the model's value of the target policy
 * Standard errors are the sample standard deviation of the per-record terms over √n (SNIPS by
 * the delta method of its ratio).
 *
 * `offPolicyFromSums` is what an evaluation runs (docs/analysis.md#off-policy-evaluation): the same
 * estimators from sums the warehouse returns, with the weight π/μ optionally clipped at a declared
 * cap, normal intervals, each estimate's difference from the logging policy (the mean logged reward)
 * as a paired per-decision difference, and the diagnostics that say when not to trust the intervals:
 * Kish's effective sample size (Σw)²/Σw², the largest weight, and the share of propensities below a
 * floor. Simulations put IPS coverage near a third at an ESS of 12 out of 2,000, hence `low_ess`.
 */
export interface LoggedDecision {
  readonly reward: number;
  readonly propensity: number;
  readonly targetProbability: number;
  /** Reward model at the logged action. */
  readonly predictedLogged?: number;
  /** Reward model's expected reward under the target policy. */
  readonly predictedTarget?: number;
}

export interface OffPolicyEstimate {
  readonly value: number;
  readonly se: number;
}

function meanAndSe(terms: number[]): OffPolicyEstimate {
  const n = terms.length;
  const mean = terms.reduce((a, b) => a + b, 0) / n;
  const variance = terms.reduce((a, t) => a + (t - mean) ** 2, 0) / (n - 1);
  return { value: mean, se: Math.sqrt(variance / n) };
}

export function ips(logs: readonly LoggedDecision[]): OffPolicyEstimate {
  return meanAndSe(logs.map((l) => (l.reward * l.targetProbability) / l.propensity));
}

export function snips(logs: readonly LoggedDecision[]): OffPolicyEstimate {
  const w = logs.map((l) => l.targetProbability / l.propensity);
  const wSum = w.reduce((a, b) => a + b, 0);
  const value = logs.reduce((a, l, i) => a + w[i]! * l.reward, 0) / wSum;
  const n = logs.length;
  const wMean = wSum / n;
  const terms = logs.map((l, i) => (w[i]! * (l.reward - value)) / wMean);
  const variance = terms.reduce((a, t) => a + t * t, 0) / (n - 1);
  return { value, se: Math.sqrt(variance / n) };
}

export function doublyRobust(logs: readonly LoggedDecision[]): OffPolicyEstimate {
  return meanAndSe(
    logs.map((l) => (l.predictedTarget ?? 0) + (l.targetProbability / l.propensity) * (l.reward - (l.predictedLogged ?? 0))),
  );
}

/**
 * What the warehouse returns for an evaluation (src/compiler/sql/blocks/off-policy-sums.ts): sums over
 * the valid logged decisions, with w = min(π/μ, cap) the (clipped) importance weight, r the reward and,
 * for the doubly robust estimator, d = q̂_π + w(r − q̂_logged) per decision. Every estimator below is a
 * function of these sums, so no row leaves the warehouse.
 */
export interface OffPolicySums {
  readonly n: number;
  readonly sumR: number;
  readonly sumR2: number;
  readonly sumW: number;
  readonly sumW2: number;
  readonly sumWR: number;
  /** Σ w²r, for the SNIPS variance. */
  readonly sumW2R: number;
  /** Σ (wr)². */
  readonly sumW2R2: number;
  /** Σ w r², for the difference from the logging policy. */
  readonly sumWR2: number;
  /** Present when the evaluation declares reward-model estimates. */
  readonly dr?: { readonly sumD: number; readonly sumD2: number; readonly sumDR: number };
  /** Decisions whose weight π/μ exceeded the cap and was cut to it. */
  readonly clipped: number;
  /** The largest weight π/μ before clipping (null without rows). */
  readonly maxWeight: number | null;
  /** Decisions whose logging propensity is below the declared floor. */
  readonly belowFloor: number;
  /** Rows left out: a missing reward or propensity, a logging propensity outside (0, 1], a target probability outside [0, 1]. */
  readonly invalid: number;
}

export interface OffPolicyOptions {
  readonly alpha: number;
  /** The declared weight cap; absent means no clipping. */
  readonly clip?: number;
  readonly propensityFloor: number;
  /** The ESS below which the estimates are flagged; ESS/n below `minEssShare` flags them too. */
  readonly minEss: number;
  readonly minEssShare: number;
}

export type OffPolicyCode = "OK" | "TOO_FEW_ROWS" | "ZERO_WEIGHT";

export interface OffPolicyEstimateJson {
  estimator: "ips" | "snips" | "dr";
  code: OffPolicyCode;
  /** The target policy's estimated value (mean reward per decision). */
  value: Num;
  se: Num;
  ci: Pair;
  /** Target minus logging policy, on the same decisions (paired, so the CI accounts for the covariance). */
  diff: Num;
  diff_ci: Pair;
  /** diff over the logging policy's value: comparable with an A/B test's relative lift. */
  rel_lift: Num;
}

export interface OffPolicyResult {
  rows: number;
  invalid_rows: number;
  /** The logging policy's value: the mean logged reward. */
  logging: { value: Num; se: Num; ci: Pair };
  estimates: OffPolicyEstimateJson[];
  clip: { cap: number | null; clipped: number; share: Num };
  weights: {
    /** Effective sample size (Σw)²/Σw² (Kish), and its share of the rows. */
    ess: Num;
    ess_share: Num;
    max_weight: Num;
    propensity_floor: number;
    below_floor: number;
    below_floor_share: Num;
    /** ESS below the declared minimum (or share): the intervals are not to be trusted. */
    low_ess: boolean;
  };
}

/** Mean and standard error (n − 1) from a sum and a sum of squares. */
function meanSe(sum: number, sumSq: number, n: number): { mean: number; se: number } {
  const mean = sum / n;
  const variance = Math.max(0, (sumSq - sum * mean) / (n - 1));
  return { mean, se: Math.sqrt(variance / n) };
}

/** IPS, SNIPS and DR with normal intervals, and the weight diagnostics, from the warehouse's sums. */
export function offPolicyFromSums(s: OffPolicySums, o: OffPolicyOptions): OffPolicyResult {
  const n = s.n;
  const z = normalQuantile(1 - o.alpha / 2);
  const interval = (v: number, se: number): Pair => pair([v - z * se, v + z * se]);
  const share = (k: number): Num => (n > 0 ? num(k / n) : null);
  const ess = s.sumW2 > 0 ? (s.sumW * s.sumW) / s.sumW2 : null;
  const weights = {
    ess: ess === null ? null : num(ess),
    ess_share: ess === null || n === 0 ? null : num(ess / n),
    max_weight: s.maxWeight === null ? null : num(s.maxWeight),
    propensity_floor: o.propensityFloor,
    below_floor: s.belowFloor,
    below_floor_share: share(s.belowFloor),
    low_ess: n >= 2 && (ess === null || ess < o.minEss || ess / n < o.minEssShare),
  };
  const clip = { cap: o.clip ?? null, clipped: s.clipped, share: share(s.clipped) };
  const estimators: OffPolicyEstimateJson["estimator"][] = s.dr ? ["ips", "snips", "dr"] : ["ips", "snips"];
  const empty = (estimator: OffPolicyEstimateJson["estimator"], code: OffPolicyCode): OffPolicyEstimateJson => ({
    estimator,
    code,
    value: null,
    se: null,
    ci: [null, null],
    diff: null,
    diff_ci: [null, null],
    rel_lift: null,
  });
  if (n < 2) {
    return {
      rows: n,
      invalid_rows: s.invalid,
      logging: { value: n === 1 ? num(s.sumR) : null, se: null, ci: [null, null] },
      estimates: estimators.map((e) => empty(e, "TOO_FEW_ROWS")),
      clip,
      weights,
    };
  }
  const logging = meanSe(s.sumR, s.sumR2, n);
  // Σ(r − r̄)², shared by every difference's variance.
  const ssR = Math.max(0, s.sumR2 - s.sumR * logging.mean);
  const estimate = (estimator: OffPolicyEstimateJson["estimator"], value: number, se: number, diffSumSq: number): OffPolicyEstimateJson => {
    const diff = value - logging.mean;
    const diffSe = Math.sqrt(Math.max(0, diffSumSq) / (n - 1) / n);
    return {
      estimator,
      code: "OK",
      value: num(value),
      se: num(se),
      ci: interval(value, se),
      diff: num(diff),
      diff_ci: interval(diff, diffSe),
      rel_lift: logging.mean !== 0 ? num(diff / logging.mean) : null,
    };
  };
  const estimates: OffPolicyEstimateJson[] = [];

  // IPS: the mean of wr; its difference from the logging policy is the mean of wr − r.
  const ipsTerm = meanSe(s.sumWR, s.sumW2R2, n);
  const ipsDiffMean = (s.sumWR - s.sumR) / n;
  const ipsDiffSq = s.sumW2R2 - 2 * s.sumWR2 + s.sumR2 - n * ipsDiffMean * ipsDiffMean;
  estimates.push(estimate("ips", ipsTerm.mean, ipsTerm.se, ipsDiffSq));

  // SNIPS by the delta method: per-decision terms t = w(r − V)/w̄, which sum to zero.
  if (s.sumW > 0) {
    const v = s.sumWR / s.sumW;
    const wBar = s.sumW / n;
    const sumT2 = (s.sumW2R2 - 2 * v * s.sumW2R + v * v * s.sumW2) / (wBar * wBar);
    // Σ t(r − r̄) = (Σwr² − VΣwr)/w̄, because Σw(r − V) = 0.
    const sumTU = (s.sumWR2 - v * s.sumWR) / wBar;
    estimates.push(estimate("snips", v, Math.sqrt(Math.max(0, sumT2) / (n - 1) / n), sumT2 - 2 * sumTU + ssR));
  } else estimates.push(empty("snips", "ZERO_WEIGHT"));

  if (s.dr) {
    const d = meanSe(s.dr.sumD, s.dr.sumD2, n);
    const drDiffMean = (s.dr.sumD - s.sumR) / n;
    const drDiffSq = s.dr.sumD2 - 2 * s.dr.sumDR + s.sumR2 - n * drDiffMean * drDiffMean;
    estimates.push(estimate("dr", d.mean, d.se, drDiffSq));
  }
  return {
    rows: n,
    invalid_rows: s.invalid,
    logging: { value: num(logging.mean), se: num(logging.se), ci: interval(logging.mean, logging.se) },
    estimates,
    clip,
    weights,
  };
}

/** The sums the SQL computes, from decisions in memory (tests, and the same definitions as the SQL). */
export function offPolicySums(logs: readonly LoggedDecision[], o: { clip?: number; propensityFloor?: number } = {}): OffPolicySums {
  const acc = {
    n: 0,
    sumR: 0,
    sumR2: 0,
    sumW: 0,
    sumW2: 0,
    sumWR: 0,
    sumW2R: 0,
    sumW2R2: 0,
    sumWR2: 0,
    clipped: 0,
    belowFloor: 0,
    invalid: 0,
  };
  const dr = { sumD: 0, sumD2: 0, sumDR: 0 };
  const withModel = logs.length > 0 && logs.every((l) => l.predictedLogged !== undefined && l.predictedTarget !== undefined);
  let maxWeight: number | null = null;
  for (const l of logs) {
    if (!(l.propensity > 0 && l.propensity <= 1 && l.targetProbability >= 0 && l.targetProbability <= 1 && Number.isFinite(l.reward))) {
      acc.invalid++;
      continue;
    }
    const raw = l.targetProbability / l.propensity;
    maxWeight = maxWeight === null ? raw : Math.max(maxWeight, raw);
    const w = o.clip !== undefined ? Math.min(raw, o.clip) : raw;
    if (o.clip !== undefined && raw > o.clip) acc.clipped++;
    if (o.propensityFloor !== undefined && l.propensity < o.propensityFloor) acc.belowFloor++;
    const r = l.reward;
    acc.n++;
    acc.sumR += r;
    acc.sumR2 += r * r;
    acc.sumW += w;
    acc.sumW2 += w * w;
    acc.sumWR += w * r;
    acc.sumW2R += w * w * r;
    acc.sumW2R2 += w * r * (w * r);
    acc.sumWR2 += w * r * r;
    if (withModel) {
      const d = l.predictedTarget! + w * (r - l.predictedLogged!);
      dr.sumD += d;
      dr.sumD2 += d * d;
      dr.sumDR += d * r;
    }
  }
  return { ...acc, maxWeight, ...(withModel ? { dr } : {}) };
}
