import { fmtInt, fmtP, fmtPercent } from "./format.js";
import type { ReportInput } from "./model.js";
import { cupedNotes, metricTables } from "./tables.js";
import { fillTemplate } from "./template.js";

export interface ChartNames {
  forest: string;
  cumulative: string;
  units: string;
}

const RECOMMENDATION_TEXT: Record<string, string> = {
  ship: "🚀 ship",
  keep_running: "⏳ keep running",
  stop: "🛑 stop",
  rollback: "⏪ roll back",
  investigate: "🔎 investigate",
};

/** The markdown body of a report: deterministic for the same input (no clocks, no locale). */
export function renderReportMarkdown(input: ReportInput, template: string, charts: ChartNames): string {
  const { analysis, experiment } = input;
  return fillTemplate(template, {
    title: `${experiment.name ?? experiment.key} — report of ${input.date}`,
    header: header(input),
    recommendation: RECOMMENDATION_TEXT[analysis.decision.recommendation] ?? analysis.decision.recommendation,
    reasons: analysis.decision.reasons.map((r) => `- ${r}`).join("\n") || "- No reasons were given.",
    forest_svg: `./${charts.forest}`,
    cumulative_svg: `./${charts.cumulative}`,
    units_svg: `./${charts.units}`,
    tables: metricTables(analysis, experiment.control, input.metrics),
    guardrails: guardrails(input),
    power: power(input),
    notes: cupedNotes(analysis),
    provenance: provenance(input),
  }).replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

function header(input: ReportInput): string {
  const { analysis, experiment } = input;
  const total = Object.values(analysis.units).reduce((a, b) => a + b, 0);
  const weightTotal = Object.values(experiment.weights).reduce((a, b) => a + b, 0) || 1;
  const lines = [
    `| | |`,
    `|---|---|`,
    `| experiment | \`${experiment.key}\` (phase ${analysis.phase}) |`,
    `| hypothesis | ${experiment.hypothesis ?? "—"} |`,
    `| owner | ${experiment.owner ?? "—"} |`,
    `| dates | ${experiment.schedule.start?.slice(0, 10) ?? "—"} → ${experiment.schedule.end?.slice(0, 10) ?? "open-ended"} |`,
    `| method | ${analysis.method}, α = ${analysis.alpha} |`,
    "",
    "| variant | units | share | expected share |",
    "|---|---:|---:|---:|",
    ...Object.entries(analysis.units).map(
      ([v, n]) => `| ${v}${v === experiment.control && v !== "control" ? " (control)" : ""} | ${fmtInt(n)} | ${fmtPercent(total ? n / total : 0, 1)} | ${fmtPercent((experiment.weights[v] ?? 0) / weightTotal, 1)} |`,
    ),
    "",
    analysis.srm.ok
      ? `**Sample ratio:** ✅ no mismatch (χ² = ${analysis.srm.chi2.toFixed(2)}, p = ${fmtP(analysis.srm.p_value)}).`
      : `**Sample ratio:** 🚨 mismatch (χ² = ${analysis.srm.chi2.toFixed(2)}, p = ${fmtP(analysis.srm.p_value)}): the assignment or logging is broken; do not trust the results until it is explained.`,
  ];
  if (analysis.multiple_exposures > 0) lines.push("", `${fmtInt(analysis.multiple_exposures)} units saw more than one variant and were excluded.`);
  return lines.join("\n");
}

function guardrails(input: ReportInput): string {
  const g = input.analysis.guardrails;
  if (g.length === 0) return "- This experiment declares no guardrail metrics.";
  return g
    .map((r) => {
      const margin = r.max_regression !== undefined ? ` (non-inferiority margin ${fmtPercent(r.max_regression, 1)})` : "";
      const who = r.variant ? ` for ${r.variant}` : "";
      if (r.breached ?? !r.passed) return `- 🚨 \`${r.metric}\`${who}: **breached**${margin}.`;
      return r.passed ? `- ✅ \`${r.metric}\`${who}: within its margin${margin}.` : `- ⚠️ \`${r.metric}\`${who}: inconclusive — not yet shown to be within its margin${margin}.`;
    })
    .join("\n");
}

function power(input: ReportInput): string {
  const p = input.analysis.power;
  if (!p || p.mde === undefined) return "- No minimum detectable effect is declared (`power.mde`), so power was not assessed.";
  const reached = p.achieved_mde !== undefined ? `the data so far can detect a relative effect of ${fmtPercent(p.achieved_mde)}` : "the achievable MDE could not be computed";
  const ok = p.achieved_mde !== undefined && p.achieved_mde <= p.mde;
  return `- Declared MDE ${fmtPercent(p.mde)}; ${reached} at ${fmtPercent(input.analysis.alpha, 0)} significance${ok ? " — ✅ powered." : " — ⏳ not yet powered for the declared MDE."}`;
}

function provenance(input: ReportInput): string {
  const p = input.analysis.provenance ?? {};
  const parts = [
    `source commit \`${(p.sourceCommit ?? "unknown").slice(0, 12)}\``,
    `definitions sha256 \`${(p.definitionsSha256 ?? "").slice(0, 12)}\``,
    `SQL sha256 \`${(p.sqlSha256 ?? "").slice(0, 12)}\``,
    `engine ${p.engine ?? "unknown"}`,
    `data window ${p.dataWindow?.start ?? "?"} → ${p.dataWindow?.end ?? "?"}`,
  ];
  return `Reproduce with \`exp analyze ${input.experiment.key} --as-of ${p.dataWindow?.end ?? input.date}\`. Provenance: ${parts.join(" · ")}.`;
}
