import type { Correction } from "./types.js";

/**
 * Adjusted p-values in the order given, matching statsmodels' multipletests
 * ("fdr_bh", "holm", "bonferroni"). NaN entries (failed comparisons) are left out of the family
 * and stay NaN.
 */
export function adjustPValues(pValues: readonly number[], method: Correction): number[] {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i]));
  const m = idx.length;
  const out = pValues.map(() => NaN);
  if (m === 0) return out;
  const sorted = [...idx].sort((a, b) => pValues[a]! - pValues[b]!);
  switch (method) {
    case "none":
      for (const i of idx) out[i] = pValues[i]!;
      break;
    case "bonferroni":
      for (const i of idx) out[i] = Math.min(1, pValues[i]! * m);
      break;
    case "holm": {
      let running = 0;
      sorted.forEach((i, rank) => {
        running = Math.max(running, Math.min(1, (m - rank) * pValues[i]!));
        out[i] = running;
      });
      break;
    }
    case "bh": {
      let running = 1;
      for (let rank = m - 1; rank >= 0; rank--) {
        const i = sorted[rank]!;
        running = Math.min(running, (pValues[i]! * m) / (rank + 1));
        out[i] = Math.min(1, running);
      }
      break;
    }
  }
  return out;
}
