import { fmtInt, tableCell } from "./format.js";
import type { ReportInput } from "./model.js";
import {
  amendmentsText,
  armShares,
  datesText,
  guardrailLines,
  horizonLine,
  minimumsLine,
  phaseText,
  powerLine,
  provenanceText,
  srmLine,
} from "./summary.js";
import { cupedNotes, metricTables } from "./tables.js";
import { fillTemplate } from "./template.js";
import { factorialMarkdown } from "./factorial.js";
import { offPolicyMarkdown } from "./off-policy.js";
import { covariatesMarkdown } from "./covariates.js";
import { dimensionsMarkdown, slicesChartName } from "./dimensions.js";
import { fairnessMarkdown } from "./fairness.js";
import { interleavingMarkdown, interleavingUnits } from "./interleaving.js";
import { holdoutMarkdown, shownDecision } from "./holdout.js";

/** The file of each chart the report embeds; null for a chart the report has none of (chartsOf). */
export interface ChartNames {
  forest: string | null;
  cumulative: string | null;
  units: string | null;
}

/** The note an interleaving report has where others say where CUPED applied. */
const INTERLEAVING_NOTE =
  "- Units were compared within themselves (each saw both rankers), so CUPED and the per-arm metric comparisons do not apply.";

/**
 * The report's charts: none of the per-arm charts for an interleaving experiment, whose units saw
 * both rankers in one list and so have no arms to set side by side or follow over time.
 */
export function chartsOf(input: ReportInput): ChartNames {
  if (input.analysis.interleaving) return { forest: null, cumulative: null, units: null };
  return { forest: `${input.date}-lift.svg`, cumulative: `${input.date}-cumulative.svg`, units: `${input.date}-units.svg` };
}

/** Marks an image slot whose chart the report does not have; its line is then replaced (withoutMissingCharts). */
const NO_CHART = "\u0000no-chart\u0000";

/**
 * Each image of a chart the report does not have is taken out: a line that held nothing else (a
 * markdown image line, or an HTML <img> a custom template wrote) becomes `reason`, said once per
 * section (a chart line right after the reason, blank lines between, is dropped); an image inside
 * other text is removed from it. No marker is left anywhere.
 */
function withoutMissingCharts(markdown: string, reason: string): string {
  const image = new RegExp(`!\\[[^\\]]*\\]\\(${NO_CHART}\\)|<img\\b[^>]*${NO_CHART}[^>]*>`, "g");
  let last = "";
  const out: string[] = [];
  for (const line of markdown.split("\n")) {
    let shown = line;
    if (line.includes(NO_CHART)) {
      const rest = line.replace(image, "").replaceAll(NO_CHART, "");
      shown = rest.trim() !== "" ? rest : last === reason ? "" : reason;
    }
    if (shown.trim() !== "") last = shown;
    out.push(shown);
  }
  return out.join("\n");
}

const RECOMMENDATION_TEXT: Record<string, string> = {
  ship: "🚀 ship",
  keep_running: "⏳ keep running",
  stop: "🛑 stop",
  rollback: "⏪ roll back",
  investigate: "🔎 investigate",
};

const GUARD_MARK: Record<string, string> = { passed: "✅", breached: "🚨", inconclusive: "⚠️", failed: "⚠️", none: "" };
const POWER_MARK: Record<string, string> = { powered: "✅ ", underpowered: "⏳ ", unknown: "", none: "" };
const GATE_MARK: Record<string, string> = { reached: "✅ ", met: "✅ ", not_reached: "⏳ ", not_met: "⏳ ", not_required: "" };

/** The markdown body of a report: deterministic for the same input (no clocks, no locale). */
export function renderReportMarkdown(input: ReportInput, template: string, charts: ChartNames): string {
  const { analysis, experiment } = input;
  const power = powerLine(analysis);
  // A holdout has nothing to ship or roll back: its decision section says what shipping did instead.
  const decision = shownDecision(analysis);
  return (
    withoutMissingCharts(
      fillTemplate(template, {
        title: `${experiment.name ?? experiment.key} — report of ${input.date}`,
        header: header(input),
        recommendation: RECOMMENDATION_TEXT[decision.recommendation] ?? decision.recommendation,
        reasons: decision.reasons.map((r) => `- ${r}`).join("\n") || "- No reasons were given.",
        forest_svg: charts.forest === null ? NO_CHART : `./${charts.forest}`,
        cumulative_svg: charts.cumulative === null ? NO_CHART : `./${charts.cumulative}`,
        units_svg: charts.units === null ? NO_CHART : `./${charts.units}`,
        tables: [
          holdoutMarkdown(analysis),
          metricTables(analysis, experiment.control, input.metrics),
          factorialMarkdown(analysis, input.metrics),
          offPolicyMarkdown(analysis.off_policy),
          covariatesMarkdown(analysis),
          dimensionsMarkdown(analysis, `./${slicesChartName(input.date)}`),
          fairnessMarkdown(analysis),
          interleavingMarkdown(analysis),
        ]
          .filter(Boolean)
          .join("\n\n"),
        guardrails: guardrailLines(analysis, experiment.control)
          .map((l) => `- ${GUARD_MARK[l.status] ? `${GUARD_MARK[l.status]} ` : ""}${l.text}`)
          .join("\n"),
        power: `- ${POWER_MARK[power.status]}${power.text}`,
        // CUPED adjusts a metric's comparison between arms; an interleaving experiment has neither.
        notes: [analysis.interleaving ? INTERLEAVING_NOTE : cupedNotes(analysis), ...(analysis.notes ?? []).map((n) => `- ${n}`)].join(
          "\n",
        ),
        provenance: provenanceText(input),
      }),
      // Only an interleaving experiment has no charts (chartsOf).
      "Each unit saw one list merging both rankers: there are no arms to chart. The interleaving section has the preference.",
    )
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd() + "\n"
  );
}

function header(input: ReportInput): string {
  const { analysis, experiment } = input;
  const srm = srmLine(analysis);
  const horizon = horizonLine(analysis);
  const minimums = minimumsLine(analysis);
  const amendments = amendmentsText(input);
  const lines = [
    `| | |`,
    `|---|---|`,
    `| experiment | \`${experiment.key}\` |`,
    `| phase | ${phaseText(analysis)} |`,
    `| hypothesis | ${experiment.hypothesis ? tableCell(experiment.hypothesis) : "—"} |`,
    ...(amendments ? [`| amendments | ${tableCell(amendments)} |`] : []),
    `| owner | ${experiment.owner ?? "—"} |`,
    `| dates | ${datesText(input)} |`,
    `| method | ${analysis.method}, α = ${analysis.alpha} |`,
    `| horizon | ${GATE_MARK[horizon.status]}${horizon.text} |`,
    `| minimums | ${GATE_MARK[minimums.status]}${minimums.text} |`,
    "",
  ];
  if (analysis.interleaving) lines.push(`**Units:** ${interleavingUnits(analysis.interleaving)}.`);
  else
    lines.push(
      "| variant | units | share | expected share |",
      "|---|---:|---:|---:|",
      ...armShares(input).map(
        (a) => `| ${a.variant}${a.control && a.variant !== "control" ? " (control)" : ""} | ${a.units} | ${a.share} | ${a.expected} |`,
      ),
      "",
      `**Sample ratio:** ${srm.status === "ok" ? "✅" : "🚨"} ${srm.text}.`,
    );
  if (analysis.multiple_exposures > 0)
    lines.push("", `${fmtInt(analysis.multiple_exposures)} units saw more than one variant and were excluded.`);
  return lines.join("\n");
}
