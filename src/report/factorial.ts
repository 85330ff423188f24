import { fmtNumber, fmtP, MISSING, tableCell } from "./format.js";
import type { MetricDisplay, ReportAnalysis } from "./model.js";

/** One main effect or interaction of a multivariate experiment, formatted for both renderings. */
export interface FactorialRow {
  metric: string;
  term: string;
  contrast: string;
  /** The difference in the metric's own unit: percentage points for a percent metric. */
  estimate: string;
  ci: string;
  p: string;
  significant: boolean;
}

/** A signed difference: percentage points for percent metrics, the plain number otherwise. */
function fmtDifference(x: number | null, display: MetricDisplay | undefined): string {
  if (x === null || !Number.isFinite(x)) return MISSING;
  const body = display?.format === "percent" ? `${fmtNumber(x * 100, 2)} pp` : fmtNumber(x);
  return x > 0 ? `+${body}` : body;
}

/** The rows of the factorial section, and a sentence per metric that has none (why). */
export function factorialRows(
  analysis: Pick<ReportAnalysis, "factorial">,
  displays: Record<string, MetricDisplay>,
): { rows: FactorialRow[]; skipped: string[] } {
  const rows: FactorialRow[] = [];
  const skipped: string[] = [];
  for (const m of analysis.factorial?.metrics ?? []) {
    if (m.skipped) skipped.push(`\`${m.metric}\`: no factorial effects, since ${m.skipped}`);
    for (const t of m.terms)
      rows.push({
        metric: m.metric,
        term: t.term,
        contrast: t.contrast,
        estimate: fmtDifference(t.estimate, displays[m.metric]),
        ci:
          t.ci[0] === null || t.ci[1] === null
            ? MISSING
            : `${fmtDifference(t.ci[0], displays[m.metric])} to ${fmtDifference(t.ci[1], displays[m.metric])}`,
        p: fmtP(t.p_value_adjusted),
        significant: t.significant,
      });
  }
  return { rows, skipped };
}

const INFERENCE: Record<string, string> = {
  fixed: "Intervals are fixed-horizon.",
  sequential: "Intervals are always-valid confidence sequences, like the rest of this sequential analysis.",
  group_sequential: "Intervals and verdicts use this look's group-sequential boundary.",
};

/** The markdown section: main effects and two-way interactions, or nothing for other designs. */
export function factorialMarkdown(analysis: Pick<ReportAnalysis, "factorial">, displays: Record<string, MetricDisplay>): string {
  if (!analysis.factorial) return "";
  const { rows, skipped } = factorialRows(analysis, displays);
  const factors = Object.entries(analysis.factorial.factors)
    .map(([f, levels]) => `\`${f}\` (${levels.join(", ")}; baseline ${levels[0]})`)
    .join(" × ");
  const out = [
    "### Factorial effects",
    "",
    `Factors ${factors}. A main effect is the difference against the factor's baseline averaged over every combination of the other factors; an interaction is the difference in differences. Both are absolute, in the metric's unit. ${INFERENCE[analysis.factorial.inference]}`,
    "",
  ];
  if (rows.length) {
    out.push("| metric | term | contrast | effect | CI | p-value (adj.) | |", "|---|---|---|---:|---:|---:|---|");
    for (const r of rows)
      out.push(
        `| \`${r.metric}\` | ${tableCell(r.term)} | ${tableCell(r.contrast)} | ${r.estimate} | ${r.ci} | ${r.p} | ${r.significant ? "✅ significant" : ""} |`,
      );
    out.push("");
  }
  for (const s of skipped) out.push(`- ⚠️ ${s}.`);
  return out.join("\n").trimEnd();
}
