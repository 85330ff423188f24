import { armResult, type ArmResult } from "./moments.js";
import type { QuantileClusters, QuantileStats } from "./types.js";

/**
 * Quantile metrics (p50, p95, p99 of page-load latency, say) are computed over events, and a unit
 * usually has several. The sample quantile's standard error comes from two pieces:
 *
 * 1. the order-statistic interval the SQL returns, x(⌈nq − z·√(nq(1−q))⌉) to x(⌈nq + z·√(nq(1−q))⌉),
 *    which is the interval of the quantile if the n events were independent: its half-width over z
 *    is the independent SE, SE_iid, and it stands in for the density at the quantile (Woodruff);
 * 2. the design effect of clustering by unit on the share of events at or below the sample quantile
 *    q̂: R = Σbelow / Σevents is a ratio over units, whose delta-method variance over units is set
 *    against R(1 − R)/n, its variance if events were independent.
 *
 * SE = SE_iid · √(design effect): the delta method for a quantile under cluster sampling, as
 * GrowthBook's engine does it. Events of one unit resemble each other, so the design effect is
 * usually above 1; treating them as independent gave 95% intervals that covered an A/A difference
 * about 70% of the time with 1–10 events per unit.
 *
 * When the interval's ranks fall outside [1, n] there are too few events beyond the quantile to
 * bound it (a p99 needs 381 events); the SQL clamps the rank, which would give a truncated,
 * too-narrow interval, so such an arm is TOO_FEW_EVENTS ("not enough data") instead.
 */

/** z for a two-sided 95% interval of the order statistic's rank; the SQL layer uses the same number. */
export const QUANTILE_Z = 1.959964;

/** The 1-based ranks of the interval's order statistics for n events, before any clamping. */
export function quantileRanks(n: number, q: number): { lower: number; upper: number } {
  const spread = QUANTILE_Z * Math.sqrt(n * q * (1 - q));
  return { lower: Math.ceil(n * q - spread), upper: Math.ceil(n * q + spread) };
}

/** Whether both order statistics of the interval exist among n events. */
export function quantileIntervalFits(n: number, q: number): boolean {
  const r = quantileRanks(n, q);
  return r.lower >= 1 && r.upper <= n;
}

/** The fewest events for which the interval fits; both rank conditions only get easier as n grows. */
export function minimumQuantileEvents(q: number): number {
  let n = 1;
  while (!quantileIntervalFits(n, q)) n++;
  return n;
}

/**
 * Variance of the share of events at or below the quantile under clustering by unit, over its
 * variance if the n events were independent; 1 when the share is 0 or 1 (nothing to adjust) and
 * NaN with fewer than two units.
 */
export function quantileDesignEffect(n: number, c: QuantileClusters): number {
  if (c.units < 2 || n <= 0) return NaN;
  const share = c.sumBelow / n;
  if (!(share > 0 && share < 1)) return 1;
  const meanEvents = n / c.units;
  // Σ (below − R·events)² over units; the mean of (below − R·events) is 0 by the definition of R.
  const residual = c.sumBelow2 - 2 * share * c.sumBelowEvents + share * share * c.sumEvents2;
  const clustered = Math.max(0, residual) / (c.units - 1) / (meanEvents * meanEvents) / c.units;
  return clustered / ((share * (1 - share)) / n);
}

/**
 * A sample quantile with its standard error (scaled like the other kinds: variance / n is the
 * squared SE, n the number of events).
 */
export function summarizeQuantile(s: QuantileStats): ArmResult {
  if (s.n <= 0) return { code: "EMPTY_ARM", n: s.n, mean: NaN, variance: NaN };
  if (!quantileIntervalFits(s.n, s.quantile)) return { code: "TOO_FEW_EVENTS", n: s.n, mean: s.value, variance: NaN };
  const independent = (s.upper - s.lower) / (2 * QUANTILE_Z);
  const effect = s.clusters ? quantileDesignEffect(s.n, s.clusters) : 1;
  if (Number.isNaN(effect)) return { code: "TOO_FEW_UNITS", n: s.n, mean: s.value, variance: NaN };
  return armResult(s.n, s.value, independent * independent * effect * s.n);
}
