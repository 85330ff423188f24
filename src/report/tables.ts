import { fmtMetricValue, fmtP, fmtSignedPercent } from "./format.js";
import type { AnalysisJson, MetricDisplay, MetricResult } from "./model.js";
import { VERDICT_MARK, verdictOf } from "./verdict.js";

const TIERS: { tier: MetricResult["tier"]; title: string }[] = [
  { tier: "primary", title: "Primary metrics" },
  { tier: "secondary", title: "Secondary metrics" },
  { tier: "guardrail", title: "Guardrail metrics" },
];

/** One markdown table per metric tier: control mean, treatment mean, lift with CI, adjusted p-value, verdict. */
export function metricTables(analysis: AnalysisJson, control: string, displays: Record<string, MetricDisplay>): string {
  const out: string[] = [];
  for (const { tier, title } of TIERS) {
    const rows = analysis.metrics.filter((m) => m.tier === tier);
    if (rows.length === 0) continue;
    out.push(`### ${title}`, "");
    out.push("| metric | variant | control mean | variant mean | relative lift (CI) | p-value (adj.) | verdict |");
    out.push("|---|---|---:|---:|---:|---:|---|");
    for (const m of rows) {
      const display = displays[m.metric];
      const c = m.variants[control];
      for (const cmp of m.comparisons) {
        const t = m.variants[cmp.variant];
        const g = tier === "guardrail" ? analysis.guardrails.find((x) => x.metric === m.metric && (x.variant === undefined || x.variant === cmp.variant)) : undefined;
        const per = g?.variants?.find((v) => v.variant === cmp.variant);
        const guard = g && per ? { ...g, passed: per.status === "passed", breached: per.status === "breached" } : g;
        const lift = `${fmtSignedPercent(cmp.rel_lift)} (${fmtSignedPercent(cmp.rel_ci[0])} to ${fmtSignedPercent(cmp.rel_ci[1])})`;
        const p = tier === "guardrail" ? fmtP(cmp.p_value) : fmtP(cmp.p_value_adjusted ?? cmp.p_value);
        const cuped = cmp.cuped?.applied ? " ᶜ" : "";
        out.push(
          `| \`${m.metric}\`${cuped} | ${cmp.variant} | ${c ? fmtMetricValue(c.mean, display) : "—"} | ${t ? fmtMetricValue(t.mean, display) : "—"} | ${lift} | ${p} | ${VERDICT_MARK[verdictOf(cmp, display, guard)]} |`,
        );
      }
    }
    out.push("");
  }
  if (analysis.metrics.some((m) => m.comparisons.some((c) => c.cuped?.applied))) {
    out.push("ᶜ CUPED-adjusted (see the notes below).", "");
  }
  return out.join("\n").trimEnd();
}

/** Notes on CUPED: where it applied and how much variance it removed. */
export function cupedNotes(analysis: AnalysisJson): string {
  const lines: string[] = [];
  for (const m of analysis.metrics) {
    for (const c of m.comparisons) {
      if (c.cuped?.applied && c.cuped.variance_reduction !== undefined) {
        lines.push(`- \`${m.metric}\` (${c.variant}): CUPED applied, θ = ${(c.cuped.theta ?? 0).toFixed(4)}, variance reduced by ${(c.cuped.variance_reduction * 100).toFixed(1)}%.`);
      }
    }
  }
  return lines.length ? lines.join("\n") : "- CUPED was not applied to any metric.";
}
