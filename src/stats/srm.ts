import { chiSquareSf } from "./distributions.js";

export interface SrmResult {
  readonly chi2: number;
  readonly df: number;
  readonly pValue: number;
  readonly ok: boolean;
}

/**
 * Pearson χ² goodness of fit of unit counts against the design weights (docs/analysis.md item 6).
 * Arms with zero weight are left out of the degrees of freedom; a zero-weight arm that received
 * units is a mismatch by construction (p = 0). No units at all is not evidence of a mismatch.
 */
export function srmCheck(units: readonly number[], weights: readonly number[], threshold: number): SrmResult {
  const total = units.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, w) => a + (w > 0 ? w : 0), 0);
  if (total <= 0 || weightSum <= 0) return { chi2: 0, df: 0, pValue: 1, ok: true };
  let chi2 = 0;
  let arms = 0;
  for (let i = 0; i < units.length; i++) {
    const w = weights[i] ?? 0;
    if (w <= 0) {
      if (units[i]! > 0) return { chi2: Infinity, df: Math.max(arms, 1), pValue: 0, ok: false };
      continue;
    }
    arms++;
    const expected = (total * w) / weightSum;
    chi2 += (units[i]! - expected) ** 2 / expected;
  }
  const df = arms - 1;
  const pValue = df > 0 ? chiSquareSf(chi2, df) : 1;
  return { chi2, df, pValue, ok: !(pValue < threshold) };
}
