import { fmtInt, fmtInterval, fmtPEquals, fmtPercent, fmtSignedPercent } from "./format.js";
import type { ReportAnalysis, ReportHoldout } from "./model.js";

/**
 * A holdout comparison (docs/analysis.md#holdouts) is read as "what shipping did", not as an experiment
 * to ship or roll back: the "treatment" is everyone else, who got everything that shipped.
 */
export function holdoutHeadline(j: ReportHoldout): string {
  return `Units in holdout ${j.key} (${fmtPercent(j.traffic, Math.round(j.traffic * 10000) % 100 === 0 ? 0 : 2)} of traffic, never enrolled in experiments or rollouts that honour holdouts) vs everyone else: the cumulative effect of what shipped`;
}

/** Who was compared: the population and the number of units in each group. */
export function holdoutFacts(j: ReportHoldout): [string, string][] {
  const window = `${j.population.since ?? "the first event"} to ${j.population.as_of ?? "the analysis"}`;
  return [
    ["population", `units with at least one event from ${window}`],
    [`units in holdout ${j.key}`, fmtInt(j.units.holdout)],
    ["units in everyone else", fmtInt(j.units.everyone_else)],
    ["metrics", j.metrics.join(", ")],
  ];
}

/** One sentence per metric: the relative lift of everyone else over the holdout, read as what shipping did. */
export function holdoutReadings(analysis: Pick<ReportAnalysis, "metrics">): string[] {
  return analysis.metrics.flatMap((m) =>
    m.comparisons.map((c) => {
      const lift = fmtSignedPercent(c.rel_lift);
      const ci = fmtInterval(c.rel_ci);
      const what = c.significant
        ? `what shipping did to ${m.metric}: ${lift} (CI ${ci}, ${fmtPEquals(c.p_value)})`
        : `what shipping did to ${m.metric}: ${lift} (CI ${ci}, ${fmtPEquals(c.p_value)}), not distinguishable from no effect`;
      return c.code === "OK" || c.code === "ZERO_CONTROL_MEAN" ? what : `what shipping did to ${m.metric}: no result (${c.code})`;
    }),
  );
}

/** What the comparison cannot say. */
export const HOLDOUT_CAVEATS: readonly string[] = [
  "Units with no event in the window are not in the population, in either group.",
  "No CUPED: a unit's first event stands for its exposure, so there is no pre-period to adjust on.",
  "Fixed horizon: one read at the as-of time, not a sequential test; re-reading it often inflates false positives.",
];

/** The decision a holdout gets instead of ship / roll back. */
export const HOLDOUT_DECISION = "none: a holdout measures what shipped, there is nothing to ship or roll back";

/** The decision to show: a holdout's readings in place of the engine's ship / roll back. */
export function shownDecision(analysis: Pick<ReportAnalysis, "holdout" | "metrics" | "decision">): {
  recommendation: string;
  reasons: string[];
} {
  return analysis.holdout ? { recommendation: HOLDOUT_DECISION, reasons: holdoutReadings(analysis) } : analysis.decision;
}

/** The markdown section of a holdout comparison, or nothing for an experiment; its readings are the decision's reasons. */
export function holdoutMarkdown(analysis: Pick<ReportAnalysis, "holdout" | "metrics">, heading = "###"): string {
  const j = analysis.holdout;
  if (!j) return "";
  return [
    `${heading} Holdout ${j.key}`,
    "",
    `**${holdoutHeadline(j)}.**`,
    "",
    "| | |",
    "|---|---|",
    ...holdoutFacts(j).map(([k, v]) => `| ${k} | ${v} |`),
    "",
    ...HOLDOUT_CAVEATS.map((c) => `- ${c}`),
  ].join("\n");
}

/** The same section as plain lines for the terminal, or none for an experiment. */
export function holdoutTextLines(analysis: Pick<ReportAnalysis, "holdout" | "metrics">): string[] {
  const j = analysis.holdout;
  if (!j) return [];
  return [`${holdoutHeadline(j)}.`, ...holdoutFacts(j).map(([k, v]) => `  ${k}: ${v}`), ...HOLDOUT_CAVEATS.map((c) => `  caveat: ${c}`)];
}
