import { conversionMinimumDetectableEffect, conversionSampleSize } from "./conversion-sample-size.js";
import { minimumDetectableEffect, sampleSize, type SampleSize, type SizingDesign } from "./power.js";

/** A design to size from its primary metric: relative MDE against a baseline mean, over arms with these shares. */
export interface DesignSizing extends SizingDesign {
  /** The primary metric's baseline mean; a rate in (0, 1) for a conversion. */
  readonly baseline: number;
  /** Relative minimum detectable effect. */
  readonly mde: number;
  /** Per-unit variance of the metric; a conversion's comes from its rates under each hypothesis instead. */
  readonly variance: number;
  readonly conversion: boolean;
}

/**
 * The sample size of a design, as `exp power` prints it and as a fixed-horizon analysis takes for its
 * horizon: a conversion by `conversionSampleSize` (each arm's variance under the alternative, Welch's
 * test as the analysis runs it), any other metric by `sampleSize` with its variance. Both size every
 * comparison at the α the analysis' correction leaves it over comparisons × metrics.
 */
export function designSampleSize(d: DesignSizing): SampleSize {
  const family = {
    alpha: d.alpha,
    power: d.power,
    shares: d.shares,
    comparisons: d.comparisons,
    correction: d.correction,
    metrics: d.metrics,
  };
  const treated = d.baseline * (1 + d.mde);
  if (d.conversion && d.baseline > 0 && d.baseline < 1 && treated > 0 && treated < 1) {
    const s = conversionSampleSize({ ...family, baseline: d.baseline, relativeMde: d.mde });
    return { total: s.total, perArm: s.perArm, alphaPerComparison: s.alphaPerComparison, correction: s.correction };
  }
  return sampleSize({ ...family, mde: d.mde * Math.abs(d.baseline), variance: d.variance });
}

/**
 * The relative effect a design can detect with these units per arm (control first), the inverse of
 * `designSampleSize`: a conversion with each arm's variance under the alternative, any other metric
 * with its variance; both at the α the correction leaves each comparison. Infinity when unreachable.
 */
export function designMde(d: Omit<DesignSizing, "shares" | "mde">, units: readonly number[]): number {
  const family = { alpha: d.alpha, power: d.power, units, comparisons: d.comparisons, correction: d.correction, metrics: d.metrics };
  if (d.conversion && d.baseline > 0 && d.baseline < 1) return conversionMinimumDetectableEffect({ ...family, baseline: d.baseline });
  return minimumDetectableEffect({ ...family, variance: d.variance }) / Math.abs(d.baseline);
}
