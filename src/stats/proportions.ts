import { normalQuantile, normalSf } from "./distributions.js";
import type { Interval } from "./types.js";

export interface ProportionTest {
  readonly z: number;
  readonly pValue: number;
  /** Unpooled (Wald) interval of p_t − p_c. */
  readonly diffCi: Interval;
}

/**
 * Two-proportion z-test with the pooled variance under H0 (as statsmodels' proportions_ztest),
 * used by `exp power` and as an option; the default analysis of conversions is Welch's t.
 */
export function twoProportionZTest(successT: number, nT: number, successC: number, nC: number, alpha = 0.05): ProportionTest {
  const pt = successT / nT;
  const pc = successC / nC;
  const pooled = (successT + successC) / (nT + nC);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / nT + 1 / nC));
  const z = sePooled > 0 ? (pt - pc) / sePooled : NaN;
  const seWald = Math.sqrt((pt * (1 - pt)) / nT + (pc * (1 - pc)) / nC);
  const q = normalQuantile(1 - alpha / 2);
  return {
    z,
    pValue: Number.isNaN(z) ? NaN : Math.min(1, 2 * normalSf(Math.abs(z))),
    diffCi: [pt - pc - q * seWald, pt - pc + q * seWald],
  };
}
