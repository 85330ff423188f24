import { fmtFixed, fmtPercent } from "./format.js";
import type { MetricDisplay, ReportAnalysis } from "./model.js";
import { liftWithInterval, tierTables } from "./rows.js";
import { VERDICT_MARK } from "./verdict.js";

/** One markdown table per metric tier: control mean, treatment mean, lift with CI, adjusted p-value, verdict. */
export function metricTables(analysis: ReportAnalysis, control: string, displays: Record<string, MetricDisplay>): string {
  const out: string[] = [];
  for (const { title, rows } of tierTables(analysis, control, displays)) {
    out.push(`### ${title}`, "");
    out.push("| metric | variant | control mean | variant mean | relative lift (CI) | p-value (adj.) | verdict |");
    out.push("|---|---|---:|---:|---:|---:|---|");
    for (const r of rows) {
      out.push(
        `| \`${r.metric}\`${r.cuped ? " ᶜ" : ""} | ${r.variant} | ${r.controlMean} | ${r.variantMean} | ${liftWithInterval(r)} | ${r.p} | ${VERDICT_MARK[r.verdict]} |`,
      );
    }
    out.push("");
    // A "—" must never stand alone: say why each missing number is missing, right under its table.
    for (const r of rows.filter((x) => x.reason)) out.push(`- ⚠️ \`${r.metric}\` · ${r.variant}: ${r.reason}.`);
    if (rows.some((x) => x.reason)) out.push("");
  }
  if (analysis.metrics.some((m) => m.comparisons.some((c) => c.cuped?.applied))) {
    out.push("ᶜ CUPED-adjusted (see the notes below).", "");
  }
  return out.join("\n").trimEnd();
}

/** Notes on CUPED: where it applied and how much variance it removed. */
export function cupedNotes(analysis: ReportAnalysis): string {
  const lines: string[] = [];
  for (const m of analysis.metrics) {
    for (const c of m.comparisons) {
      if (c.cuped?.applied && c.cuped.covariates) {
        lines.push(
          `- \`${m.metric}\` (${c.variant}): CUPED on ${c.cuped.covariates.length} covariates, variance reduced by ${fmtPercent(c.cuped.variance_reduction, 1)}.`,
        );
      } else if (c.cuped?.applied && c.cuped.variance_reduction !== undefined && c.cuped.variance_reduction !== null) {
        lines.push(
          `- \`${m.metric}\` (${c.variant}): CUPED applied, θ = ${fmtFixed(c.cuped.theta, 4)}, variance reduced by ${fmtPercent(c.cuped.variance_reduction, 1)}.`,
        );
      }
    }
  }
  return lines.length ? lines.join("\n") : "- CUPED was not applied to any metric.";
}
