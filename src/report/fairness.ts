import type { FairnessJson } from "../stats/fairness.js";
import { fmtInt, fmtInterval, fmtPercent, fmtSignedPercent, tableCell } from "./format.js";
import type { ReportAnalysis } from "./model.js";

const STATUS_TEXT: Record<string, string> = {
  passed: "✅ passed",
  inconclusive: "⚠️ inconclusive",
  breached: "🚨 breached",
  failed: "⚠️ not computable",
};

/** One group's effect against the others', formatted for the text and markdown renderings. */
export interface FairnessRow {
  metric: string;
  variant: string;
  group: string;
  lift: string;
  others: string;
  disparity: string;
  ci: string;
  status: string;
  harm?: string;
}

export function fairnessRows(analysis: Pick<ReportAnalysis, "fairness">): FairnessRow[] {
  const f = analysis.fairness;
  if (!f) return [];
  return f.metrics.flatMap((m) =>
    m.variants.flatMap((v) =>
      v.groups.map((g) => ({
        metric: m.metric,
        variant: v.variant,
        group: g.group,
        lift: fmtSignedPercent(g.rel_lift),
        others: fmtSignedPercent(g.others_rel_lift),
        disparity: fmtSignedPercent(g.disparity),
        ci: fmtInterval(g.disparity_ci),
        status: g.status,
        ...(g.harm ? { harm: g.harm } : {}),
      })),
    ),
  );
}

/** Demographic parity and equalized odds lines, one per labelled outcome and variant. */
export function fairnessLabelLines(f: FairnessJson): string[] {
  return f.labels.flatMap((l) =>
    Object.entries(l.variants).map(
      ([variant, x]) =>
        `\`${l.outcome}\` (label \`${l.label}\`) under ${variant}: demographic parity difference ${fmtPercent(x.demographic_parity_difference)}, equalized odds difference ${fmtPercent(x.equalized_odds_difference)}`,
    ),
  );
}

/** The markdown section: the verdict, each group's effect against the others', parity differences. */
export function fairnessMarkdown(analysis: Pick<ReportAnalysis, "fairness">): string {
  const f = analysis.fairness;
  if (!f) return "";
  const verdict = f.breached ? "🚨 **breached**" : f.passed ? "✅ passed" : "⚠️ not yet passed";
  const groups = f.groups.map((g) => `${g.group} (${fmtInt(g.units)})`).join(", ");
  const out = [
    "### Fairness",
    "",
    `Fairness guardrail on \`${f.attribute}\`: ${verdict}. Groups: ${groups}; none under ${fmtInt(f.min_units)} units is shown on its own, and only the groups' totals are used. A group fails when its relative lift differs from the other groups' together by more than ${fmtPercent(f.max_disparity)} (the whole interval beyond it), or when a guardrail metric regresses for it beyond the metric's margin.`,
    "",
    "| metric | variant | group | lift | other groups | disparity | interval | verdict |",
    "|---|---|---|---:|---:|---:|---:|---|",
    ...fairnessRows(analysis).map(
      (r) =>
        `| \`${r.metric}\` | ${tableCell(r.variant)} | ${tableCell(r.group)} | ${r.lift} | ${r.others} | ${r.disparity} | ${r.ci} | ${STATUS_TEXT[r.status] ?? r.status}${r.harm === "breached" ? "; 🚨 harmed beyond the guardrail margin" : ""} |`,
    ),
  ];
  const labels = fairnessLabelLines(f);
  if (labels.length) out.push("", ...labels.map((l) => `- ${l}`));
  return out.join("\n");
}
