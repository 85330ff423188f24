import type { MeanStats, RatioStats, SufficientStats } from "../../../stats/types.js";

/** Slots per metric: n, Σy, Σy² for the mean shape; n, Σnum, Σden, Σnum², Σden², Σnum·den for a ratio. */
export const SLOTS_PER_METRIC = 6;

/**
 * The running sufficient statistics of one variant in one experiment phase: its exposed units and,
 * per live metric, the sums `exp analyze` reads from the warehouse. Units join and leave (a unit
 * seen in a second variant leaves), and a unit's value changes by difference, so nothing is rescanned.
 */
export class VariantSums {
  units = 0;
  readonly sums: Float64Array;

  constructor(
    readonly variant: string,
    metrics: number,
  ) {
    this.sums = new Float64Array(metrics * SLOTS_PER_METRIC);
  }

  /** Adds (sign 1) or removes (sign −1) one unit's value of the metric at position `k`; a missing value counts nowhere. */
  apply(k: number, ratio: boolean, a: number, b: number, sign: 1 | -1): void {
    const s = this.sums;
    const at = k * SLOTS_PER_METRIC;
    if (!ratio) {
      if (!Number.isFinite(a)) return;
      s[at] = s[at]! + sign;
      s[at + 1] = s[at + 1]! + sign * a;
      s[at + 2] = s[at + 2]! + sign * a * a;
      return;
    }
    if (!Number.isFinite(a) || !Number.isFinite(b)) return;
    s[at] = s[at]! + sign;
    s[at + 1] = s[at + 1]! + sign * a;
    s[at + 2] = s[at + 2]! + sign * b;
    s[at + 3] = s[at + 3]! + sign * a * a;
    s[at + 4] = s[at + 4]! + sign * b * b;
    s[at + 5] = s[at + 5]! + sign * a * b;
  }

  /** The metric's statistics at position `k`, in the stats engine's shape. */
  stats(k: number, ratio: boolean): SufficientStats {
    const s = this.sums;
    const at = k * SLOTS_PER_METRIC;
    if (!ratio) return { kind: "mean", n: s[at]!, sum: s[at + 1]!, sumSq: s[at + 2]! } satisfies MeanStats;
    return {
      kind: "ratio",
      n: s[at]!,
      sumNum: s[at + 1]!,
      sumDen: s[at + 2]!,
      sumNum2: s[at + 3]!,
      sumDen2: s[at + 4]!,
      sumNumDen: s[at + 5]!,
    } satisfies RatioStats;
  }
}
