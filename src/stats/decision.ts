import type { AnalysisResult, GuardrailJson, MetricJson, Recommendation } from "./analysis-types.js";

function pct(x: number | null): string {
  if (x === null) return "n/a";
  const v = x * 100;
  return `${v >= 0 ? "+" : ""}${v.toFixed(2)}%`;
}

function p(x: number | null): string {
  return x === null ? "n/a" : x < 0.0001 ? x.toExponential(2) : x.toFixed(4);
}

/**
 * The recommendation, first rule that fires:
 * 1. investigate — the sample ratio mismatch check failed: the split itself is broken.
 * 2. rollback — a guardrail is breached for some treatment.
 * 3. ship — some treatment wins significantly on a primary metric in its good direction and
 *    loses on none; guardrails that are merely inconclusive are listed but do not block.
 * 4. stop — no treatment wins and some primary metric is significantly worse.
 * 5. keep_running — otherwise.
 * "Significant" is the metric's `significant` flag (adjusted p < α; for the Bayesian method a
 * chance to win beyond 1 − α/2 either way).
 */
export function decide(
  srm: AnalysisResult["srm"],
  metrics: readonly MetricJson[],
  guardrails: readonly GuardrailJson[],
  srmThreshold: number,
): { recommendation: Recommendation; reasons: string[] } {
  if (!srm.ok) {
    return {
      recommendation: "investigate",
      reasons: [
        `Sample ratio mismatch: the unit split has p = ${p(srm.p_value)}, below the threshold ${srmThreshold}; check assignment and exposure logging before reading any metric.`,
      ],
    };
  }
  const breached: string[] = [];
  const inconclusive: string[] = [];
  for (const g of guardrails) {
    for (const v of g.variants) {
      const margin = g.max_regression === null ? "" : ` beyond its margin of ${(g.max_regression * 100).toFixed(2)}%`;
      if (v.status === "breached")
        breached.push(`Guardrail "${g.metric}" regressed${margin} for "${v.variant}" (relative change ${pct(v.rel_lift)}).`);
      if (v.status === "inconclusive")
        inconclusive.push(
          `Guardrail "${g.metric}" is not yet shown to be within its margin for "${v.variant}" (relative change ${pct(v.rel_lift)}).`,
        );
    }
  }
  if (breached.length) return { recommendation: "rollback", reasons: breached };

  const primaries = metrics.filter((m) => m.tier === "primary");
  const wins = new Map<string, string[]>();
  const losses = new Map<string, string[]>();
  for (const m of primaries) {
    for (const c of m.comparisons) {
      if (!c.significant || c.diff === null) continue;
      const good = m.direction === "increase" ? c.diff > 0 : c.diff < 0;
      const sentence = `Primary metric "${m.metric}" ${good ? "improved" : "got worse"} significantly for "${c.variant}" (relative change ${pct(c.rel_lift)}${c.p_value_adjusted !== null ? `, adjusted p = ${p(c.p_value_adjusted)}` : ""}).`;
      const bucket = good ? wins : losses;
      bucket.set(c.variant, [...(bucket.get(c.variant) ?? []), sentence]);
    }
  }
  const winners = [...wins.keys()].filter((v) => !losses.has(v));
  if (winners.length) {
    return { recommendation: "ship", reasons: [...winners.flatMap((v) => wins.get(v) ?? []), ...inconclusive] };
  }
  if (losses.size) return { recommendation: "stop", reasons: [...losses.values()].flat() };
  const failed = primaries.flatMap((m) =>
    m.comparisons
      .filter((c) => c.code !== "OK" && c.code !== "ZERO_CONTROL_MEAN")
      .map((c) => `Primary metric "${m.metric}" could not be computed for "${c.variant}" (${c.code}).`),
  );
  return {
    recommendation: "keep_running",
    reasons: [...failed, "No primary metric shows a significant difference yet; keep collecting data.", ...inconclusive],
  };
}
