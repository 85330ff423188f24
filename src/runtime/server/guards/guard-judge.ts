import type { RulesetGuard } from "../../../ruleset/types.js";
import type { LiveSummary } from "../live/summary.js";

/** What a guard found in one look at its live summary. */
export type GuardVerdict =
  | { state: "collecting"; units: Record<string, number> }
  | { state: "watching"; units: Record<string, number> }
  | { state: "breach"; units: Record<string, number>; breach: GuardFinding };

/** The regression that breaks glass: the metric, the arm, and how far the confidence sequence puts it. */
export interface GuardFinding {
  metric: string;
  variant: string;
  /** The smallest regression the confidence sequence allows, relative (0.041 is at least 4.1% worse). */
  regression: number;
  maxRegression: number;
}

/**
 * Judges a guard from its live summary: `collecting` until every arm has `minUnits` units, then
 * `breach` when a guard metric's always-valid confidence sequence (summary.ts guardrailState:
 * `failed`) lies wholly beyond the metric's `max_regression` on the harmful side, else `watching`.
 * The sequence holds at every look at once, so looking on every tick keeps the chance of a false
 * breach of one metric within the summary's α.
 */
export function judgeGuard(guard: RulesetGuard, summary: LiveSummary): GuardVerdict {
  const units = summary.exposures;
  const counts = Object.values(units);
  if (counts.length < 2 || counts.some((n) => n < guard.minUnits)) return { state: "collecting", units };
  for (const key of guard.metrics) {
    const m = summary.metrics.find((x) => x.metric === key);
    if (!m?.available || !m.guardrail) continue;
    for (const v of m.variants) {
      if (v.guardrail !== "failed") continue;
      const [lo, hi] = v.lift_cs;
      // The bound nearest no change: the least harm the sequence still allows.
      const regression = m.direction === "increase" ? -(hi ?? 0) : (lo ?? 0);
      return {
        state: "breach",
        units,
        breach: { metric: key, variant: v.variant, regression, maxRegression: m.guardrail.max_regression ?? 0 },
      };
    }
  }
  return { state: "watching", units };
}
