import { fmtFixed, fmtInt, fmtPEquals, fmtPercent, MISSING } from "./format.js";
import type { GuardrailJson, ReportAnalysis, ReportInput } from "./model.js";
import { missingReason } from "./reasons.js";

/**
 * The sentences of a report outside its tables, as plain text plus a status, so the markdown
 * (emoji) and the terminal view (colour tokens) say exactly the same thing.
 */

export interface Line<S extends string> {
  status: S;
  text: string;
}

export interface ArmShare {
  variant: string;
  control: boolean;
  units: string;
  share: string;
  expected: string;
}

export function armShares(input: Pick<ReportInput, "analysis" | "experiment">): ArmShare[] {
  const { analysis, experiment } = input;
  const total = Object.values(analysis.units).reduce((a, b) => a + b, 0);
  const weightTotal = Object.values(experiment.weights).reduce((a, b) => a + b, 0);
  return Object.entries(analysis.units).map(([variant, n]) => ({
    variant,
    control: variant === experiment.control,
    units: fmtInt(n),
    share: total ? fmtPercent(n / total, 1) : MISSING,
    expected: weightTotal ? fmtPercent((experiment.weights[variant] ?? 0) / weightTotal, 1) : MISSING,
  }));
}

/** "p = 0.7600 ≥ 0.001: no mismatch (χ² = 0.09)": the p-value against the threshold it is judged by. */
export function srmLine(analysis: ReportAnalysis): Line<"ok" | "mismatch"> {
  const { srm } = analysis;
  const p = fmtPEquals(srm.p_value);
  const chi2 = `χ² = ${fmtFixed(srm.chi2, 2)}`;
  return srm.ok
    ? { status: "ok", text: `${p} ≥ ${srm.threshold}: no mismatch (${chi2})` }
    : {
        status: "mismatch",
        text: `${p}, below ${srm.threshold}: mismatch (${chi2}); the assignment or logging is broken, do not trust the results until it is explained`,
      };
}

const timeText = (iso: string) =>
  iso
    .replace(/:00\.000Z$|\.000Z$/, "Z")
    .replace("T", " ")
    .replace(/Z$/, " UTC");

/** The analysed phase and when it started, saying how that is known (docs/analysis.md#phases). */
export function phaseText(analysis: ReportAnalysis): string {
  const s = analysis.phase_start;
  const phase = `phase ${analysis.phase}`;
  if (!s || s.at === null) return phase;
  switch (s.basis) {
    case "publish_history":
      return `${phase}, since ${timeText(s.at)} (first published in ruleset version ${s.version ?? "?"}; earlier exposures left out)`;
    case "phase_column":
      return `${phase}, first exposure ${timeText(s.at)} (exposures carry their phase)`;
    default:
      return `${phase}, first exposure ${timeText(s.at)} (no phase column or publish history: every exposure is read)`;
  }
}

/** Where a fixed-horizon test stands against its horizon, or why the method needs none. */
export function horizonLine(analysis: ReportAnalysis): Line<"reached" | "not_reached" | "not_required"> {
  const h = analysis.decision.horizon;
  switch (h.basis) {
    case "not_required":
      return { status: "not_required", text: `none needed: ${analysis.method} results may decide at any look` };
    case "undeclared":
      return {
        status: "not_reached",
        text: "fixed-horizon test without a horizon (declare schedule.end or a power design): no ship or stop",
      };
    case "planned_units": {
      const share = h.planned_units ? Math.floor((100 * (h.units ?? 0)) / h.planned_units) : 0;
      const where = `${fmtInt(h.units ?? 0)} of ${fmtInt(h.planned_units ?? 0)} planned units (${share}%)`;
      return h.reached
        ? { status: "reached", text: `${where}: reached` }
        : { status: "not_reached", text: `${where}: not reached, so no ship or stop yet` };
    }
    case "end_date": {
      const days =
        h.elapsed_days !== null && h.elapsed_days !== undefined && h.total_days !== null && h.total_days !== undefined
          ? ` (${fmtFixed(Math.max(0, Math.min(h.elapsed_days, h.total_days)), 0)} of ${fmtFixed(h.total_days, 0)} days)`
          : "";
      const where = `end date ${h.end?.slice(0, 10) ?? MISSING}${days}`;
      return h.reached
        ? { status: "reached", text: `${where}: reached` }
        : { status: "not_reached", text: `${where}: not reached, so no ship or stop yet` };
    }
  }
}

/** The decision framework's minimum duration and sample, and how far the analysis is. */
export function minimumsLine(analysis: ReportAnalysis): Line<"met" | "not_met"> {
  const m = analysis.decision.minimums;
  const elapsed = m.elapsed_days === null ? MISSING : fmtFixed(m.elapsed_days, 1);
  const units = m.smallest_variant === null ? MISSING : `${fmtInt(m.smallest_units)} in "${m.smallest_variant}"`;
  const text = `${elapsed} of ${m.duration_days} days; fewest units ${units} of ${fmtInt(m.units_per_variant)} per variant`;
  return m.met ? { status: "met", text: `${text}: met` } : { status: "not_met", text: `${text}: not met, so no ship or stop yet` };
}

/** The declared amendments to the registered design, one per entry with its date; undefined when there are none. */
export function amendmentsText(input: Pick<ReportInput, "experiment">): string | undefined {
  const list = input.experiment.amendments ?? [];
  if (list.length === 0) return undefined;
  return list.map((a, i) => `${i + 1}. ${a.date ? `${a.date.slice(0, 10)}: ` : ""}${a.reason}`).join("; ");
}

export function datesText(input: Pick<ReportInput, "experiment">): string {
  const s = input.experiment.schedule;
  return `${s.start?.slice(0, 10) ?? MISSING} → ${s.end?.slice(0, 10) ?? "open-ended"}`;
}

type GuardStatus = GuardrailJson["variants"][number]["status"] | "none";

/** One line per guardrail and treatment; a guardrail the engine could not evaluate says why. */
export function guardrailLines(analysis: ReportAnalysis, control: string): Line<GuardStatus>[] {
  if (analysis.guardrails.length === 0) return [{ status: "none", text: "This experiment declares no guardrail metrics." }];
  const lines: Line<GuardStatus>[] = [];
  for (const g of analysis.guardrails) {
    const margin = g.max_regression !== null ? ` (non-inferiority margin ${fmtPercent(g.max_regression, 1)})` : "";
    const metric = analysis.metrics.find((m) => m.metric === g.metric);
    for (const v of g.variants) {
      const who = `\`${g.metric}\` for ${v.variant}`;
      if (v.status === "breached") lines.push({ status: v.status, text: `${who}: **breached**${margin}.` });
      else if (v.status === "passed") lines.push({ status: v.status, text: `${who}: within its margin${margin}.` });
      else if (v.status === "inconclusive")
        lines.push({ status: v.status, text: `${who}: inconclusive — not yet shown to be within its margin${margin}.` });
      else {
        const c = metric?.comparisons.find((x) => x.variant === v.variant);
        const why = metric && c ? missingReason(metric, c, control) : undefined;
        lines.push({ status: v.status, text: `${who}: not evaluated — ${why ?? "the engine could not compute it"}.` });
      }
    }
  }
  return lines;
}

export function powerLine(analysis: ReportAnalysis): Line<"powered" | "underpowered" | "unknown" | "none"> {
  const p = analysis.power;
  if (!p) return { status: "none", text: "No minimum detectable effect is declared (`power.mde`), so power was not assessed." };
  const level = `at ${fmtPercent(analysis.alpha, 0)} significance`;
  if (p.achieved_mde === null)
    return {
      status: "unknown",
      text: `Declared MDE ${fmtPercent(p.mde)}; the achievable MDE could not be computed yet (it needs at least 2 units per arm and a non-zero control mean).`,
    };
  const reached = `Declared MDE ${fmtPercent(p.mde)}; the data so far can detect a relative effect of ${fmtPercent(p.achieved_mde)} ${level}`;
  return p.achieved_mde <= p.mde
    ? { status: "powered", text: `${reached} — powered.` }
    : { status: "underpowered", text: `${reached} — not yet powered for the declared MDE.` };
}

/**
 * The command that reproduces the report's numbers exactly: the same experiment, connection and as-of
 * instant (to the millisecond), as the JSON document stored beside the report.
 */
export function reproduceCommand(input: Pick<ReportInput, "experiment" | "asOf" | "connection">): string {
  return `exp analyze ${input.experiment.key} --connection ${input.connection} --as-of ${new Date(input.asOf).toISOString()} --format json`;
}

export function provenanceText(input: Pick<ReportInput, "analysis" | "experiment" | "date" | "asOf" | "connection">): string {
  const p = input.analysis.provenance;
  const parts = [
    `source commit \`${(p.sourceCommit ?? "unknown").slice(0, 12)}\``,
    `definitions sha256 \`${p.definitionsSha256.slice(0, 12)}\``,
    `SQL sha256 \`${p.sqlSha256.slice(0, 12)}\``,
    `engine ${p.engine}`,
    `data window ${p.dataWindow.start ?? "?"} → ${p.dataWindow.end ?? "?"}`,
  ];
  return `Reproduce with \`${reproduceCommand(input)}\` (the numbers of ${input.date}.json). Provenance: ${parts.join(" · ")}.`;
}
