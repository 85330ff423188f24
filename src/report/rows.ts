import { fmtInterval, fmtMetricValue, fmtP, fmtPercent, fmtSignedPercent, MISSING } from "./format.js";
import type { ComparisonJson, MetricDisplay, MetricJson, ReportAnalysis } from "./model.js";
import { missingReason } from "./reasons.js";
import { verdictOf, type Verdict } from "./verdict.js";

/** One treatment-vs-control line of a results table, already formatted; markdown and text draw it. */
export interface ResultRow {
  metric: string;
  variant: string;
  cuped: boolean;
  controlMean: string;
  variantMean: string;
  lift: string;
  ci: string;
  /** Adjusted p-value (guardrails: unadjusted), or the chance to win under the Bayesian method. */
  p: string;
  verdict: Verdict;
  /** Why some numbers are "—", when they are. */
  reason?: string;
}

export interface TierTable {
  tier: MetricJson["tier"];
  title: string;
  rows: ResultRow[];
}

const TIERS: { tier: MetricJson["tier"]; title: string }[] = [
  { tier: "primary", title: "Primary metrics" },
  { tier: "secondary", title: "Secondary metrics" },
  { tier: "guardrail", title: "Guardrail metrics" },
];

function pCell(tier: MetricJson["tier"], c: ComparisonJson): string {
  const p = tier === "guardrail" ? c.p_value : (c.p_value_adjusted ?? c.p_value);
  if (p === null && c.chance_to_win !== undefined && c.chance_to_win !== null) return `P(win) ${fmtPercent(c.chance_to_win, 1)}`;
  return fmtP(p);
}

/** The per-tier tables of a report, in tier order, skipping empty tiers. */
export function tierTables(analysis: ReportAnalysis, control: string, displays: Record<string, MetricDisplay>): TierTable[] {
  const tables: TierTable[] = [];
  for (const { tier, title } of TIERS) {
    const rows: ResultRow[] = [];
    for (const m of analysis.metrics.filter((x) => x.tier === tier)) {
      const display = displays[m.metric];
      for (const c of m.comparisons) {
        const guard =
          tier === "guardrail"
            ? analysis.guardrails.find((g) => g.metric === m.metric)?.variants.find((v) => v.variant === c.variant)?.status
            : undefined;
        const verdict = verdictOf(m, c, display, guard);
        const missing = missingReason(m, c, control);
        const reason =
          missing && c.code === "ZERO_CONTROL_MEAN" && verdict !== "no result"
            ? `${missing}; the verdict rests on the absolute difference`
            : missing;
        rows.push({
          metric: m.metric,
          variant: c.variant,
          cuped: c.cuped?.applied === true,
          controlMean: fmtMetricValue(m.variants[control]?.mean, display),
          variantMean: fmtMetricValue(m.variants[c.variant]?.mean, display),
          lift: fmtSignedPercent(c.rel_lift),
          ci: fmtInterval(c.rel_ci),
          p: pCell(tier, c),
          verdict,
          ...(reason ? { reason } : {}),
        });
      }
    }
    if (rows.length) tables.push({ tier, title, rows });
  }
  return tables;
}

/** "+6.00% (+1.00% to +11.00%)", or just "—" when the lift itself is missing. */
export function liftWithInterval(row: ResultRow): string {
  if (row.lift === MISSING) return MISSING;
  return row.ci === MISSING ? row.lift : `${row.lift} (${row.ci})`;
}
