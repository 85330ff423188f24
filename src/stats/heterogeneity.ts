import { chiSquareSf } from "./distributions.js";

/**
 * Heterogeneity of a treatment effect across segments: Cochran's Q = Σ w_i (θ_i − θ̄)² with
 * inverse-variance weights w_i = 1/se_i², referred to χ² with (segments − 1) degrees of freedom.
 * A small p-value says the effect differs between segments (uplift / HTE, fairness disparity).
 */
export interface SegmentEffect {
  readonly segment: string;
  readonly effect: number;
  readonly se: number;
}

export interface HeterogeneityResult {
  readonly q: number;
  readonly df: number;
  readonly pValue: number;
  /** The inverse-variance pooled effect. */
  readonly pooled: number;
  /** I² = max(0, (Q − df)/Q): the share of variation due to heterogeneity. */
  readonly i2: number;
}

export function heterogeneityTest(effects: readonly SegmentEffect[]): HeterogeneityResult {
  const usable = effects.filter((e) => Number.isFinite(e.effect) && e.se > 0);
  const df = usable.length - 1;
  if (df < 1) return { q: 0, df: Math.max(df, 0), pValue: 1, pooled: usable[0]?.effect ?? NaN, i2: 0 };
  const w = usable.map((e) => 1 / (e.se * e.se));
  const wSum = w.reduce((a, b) => a + b, 0);
  const pooled = usable.reduce((a, e, i) => a + w[i]! * e.effect, 0) / wSum;
  const q = usable.reduce((a, e, i) => a + w[i]! * (e.effect - pooled) ** 2, 0);
  return { q, df, pValue: chiSquareSf(q, df), pooled, i2: q > 0 ? Math.max(0, (q - df) / q) : 0 };
}
