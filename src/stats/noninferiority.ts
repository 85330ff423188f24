import { normalQuantile, normalSf } from "./distributions.js";
import type { Direction } from "./types.js";

export interface NonInferiorityResult {
  /** Non-inferiority shown: the one-sided (1 − α) bound on the relative change clears the margin. */
  readonly passed: boolean;
  /** The change is significantly worse than the margin (the bound on the good side is past it). */
  readonly breached: boolean;
  readonly pValue: number;
  /** One-sided (1 − α) bound on the relative lift, on the side of harm. */
  readonly bound: number;
  readonly margin: number;
}

/**
 * One-sided non-inferiority test on the relative lift against a relative margin (e.g. 0.01 = 1%).
 * For `increase` metrics harm is a drop: H0 rel ≤ −margin. For `decrease` metrics harm is a rise:
 * H0 rel ≥ +margin. Normal inference on the delta-method standard error.
 */
export function nonInferiority(relLift: number, relSe: number, margin: number, direction: Direction, alpha: number): NonInferiorityResult {
  if (!Number.isFinite(relLift) || !(relSe > 0)) {
    return { passed: false, breached: false, pValue: NaN, bound: NaN, margin };
  }
  const z = normalQuantile(1 - alpha);
  if (direction === "increase") {
    const bound = relLift - z * relSe;
    return {
      passed: bound > -margin,
      breached: relLift + z * relSe < -margin,
      pValue: normalSf((relLift + margin) / relSe),
      bound,
      margin,
    };
  }
  const bound = relLift + z * relSe;
  return { passed: bound < margin, breached: relLift - z * relSe > margin, pValue: normalSf((margin - relLift) / relSe), bound, margin };
}
