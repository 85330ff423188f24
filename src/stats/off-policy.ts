/**
 * Off-policy evaluation of a target policy from logs of another: each record has the reward, the
 * logging propensity of the logged action and the target policy's probability of that action
 * (and, for the doubly robust estimator, the reward model's predictions).
 *   IPS   = mean(r · π/μ)
 *   SNIPS = Σ r · π/μ / Σ π/μ
 *   DR    = mean(q̂_π + (π/μ)(r − q̂_logged)), q̂_π the model's value of the target policy
 * Standard errors are the sample standard deviation of the per-record terms over √n (SNIPS by
 * the delta method of its ratio).
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
