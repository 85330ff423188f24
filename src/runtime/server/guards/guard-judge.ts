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

/**
 * Whether a guarded rollout may take its next, gated step (docs/file-formats.md#gated-steps): every
 * arm of the step in force has at least `afterUnits` units (and the guard's `minUnits`), and for
 * every guard metric the confidence sequence rules out a regression of `max_regression` (summary.ts
 * guardrailState: `passed`, its harmful bound above −max_regression). A metric not yet computable
 * holds the step back, as does an inconclusive one.
 */
export function showsNoRegression(guard: RulesetGuard, summary: LiveSummary, afterUnits: number): boolean {
  const counts = Object.values(summary.exposures);
  if (counts.length < 2 || counts.some((n) => n < Math.max(afterUnits, guard.minUnits))) return false;
  return guard.metrics.every((key) => {
    const m = summary.metrics.find((x) => x.metric === key);
    // The control's row carries no guardrail state; every treatment's must have passed.
    const judged = m?.available ? m.variants.filter((v) => v.code !== null) : [];
    return judged.length > 0 && judged.every((v) => v.guardrail === "passed");
  });
}
