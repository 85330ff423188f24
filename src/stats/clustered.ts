import { normalQuantile, twoSidedP } from "./distributions.js";
import { armResult, type ArmResult } from "./moments.js";
import type { ClusteredStats, Comparison } from "./types.js";
import { failedComparison, relativeInterval } from "./welch.js";

/**
 * Cluster-robust inference for a per-session mean with sessions clustered by user
 * (docs/analysis.md#session-experiments). It is the sandwich estimator of OLS y ~ arm on the sessions
 * of two arms with user clusters, what statsmodels reports with cov_type="cluster":
 *
 *   Var(ȳ_t − ȳ_c) = k · Σ_users (e_t/n_t − e_c/n_c)²,   e_a = s_a − ȳ_a·m_a (a user's residual sum in arm a)
 *   k = G/(G−1) · (N−1)/(N−2),   G users in either arm, N sessions in both
 *
 * which expands into the per-arm sums and the cross sums with control that ClusteredStats carries.
 */

/** Σ_users e², the squared residual sums of one arm's clusters around the arm's mean. */
function residualSquares(s: ClusteredStats, mean: number): number {
  return s.sumS2 - 2 * mean * s.sumSN + mean * mean * s.sumN2;
}

/** An arm alone: its mean per session, and n times its clustered squared standard error (G/(G−1) correction). */
export function summarizeClustered(s: ClusteredStats): ArmResult {
  if (s.n <= 0) return armResult(s.n, NaN, NaN);
  const mean = s.sum / s.n;
  if (s.clusters < 2) return { code: "TOO_FEW_UNITS", n: s.n, mean, variance: NaN };
  const se2 = ((s.clusters / (s.clusters - 1)) * residualSquares(s, mean)) / (s.n * s.n);
  return armResult(s.n, mean, se2 * s.n);
}

/** Treatment against control: the clustered difference of per-session means, with z inference. */
export function compareClustered(t: ClusteredStats, c: ClusteredStats, alpha: number): Comparison {
  if (!(t.n > 0) || !(c.n > 0)) return failedComparison("EMPTY_ARM");
  const users = t.clusters + c.clusters - t.shared;
  const sessions = t.n + c.n;
  if (users < 2 || sessions < 3) return failedComparison("TOO_FEW_UNITS");
  const mt = t.sum / t.n;
  const mc = c.sum / c.n;
  const k = (users / (users - 1)) * ((sessions - 1) / (sessions - 2));
  // Σ e_t·e_c over users in both arms; t's cross sums pair its clusters with the control ones.
  const cross = t.crossSS - mc * t.crossSN - mt * t.crossNS + mt * mc * t.crossNN;
  const vt = (k * residualSquares(t, mt)) / (t.n * t.n);
  const vc = (k * residualSquares(c, mc)) / (c.n * c.n);
  const cov = (k * cross) / (t.n * c.n);
  const se2 = vt + vc - 2 * cov;
  if (se2 < 0) return failedComparison("NEGATIVE_VARIANCE");
  if (!(se2 > 0)) return failedComparison("ZERO_VARIANCE");
  const se = Math.sqrt(se2);
  const diff = mt - mc;
  const z = normalQuantile(1 - alpha / 2);
  const pValue = twoSidedP(diff / se, Infinity);
  const diffCi: [number, number] = [diff - z * se, diff + z * se];
  if (mc === 0) {
    return { code: "ZERO_CONTROL_MEAN", diff, diffCi, relLift: NaN, relCi: [NaN, NaN], pValue, se, relSe: NaN, df: Infinity };
  }
  const relLift = mt / mc - 1;
  // Delta method on mt/mc with the clustered covariance of the two means.
  const relVar = vt / (mc * mc) + (mt * mt * vc) / mc ** 4 - (2 * mt * cov) / mc ** 3;
  return {
    code: "OK",
    diff,
    diffCi,
    relLift,
    relCi: relativeInterval(relLift, relVar, alpha),
    pValue,
    se,
    relSe: Math.sqrt(relVar),
    df: Infinity,
  };
}
