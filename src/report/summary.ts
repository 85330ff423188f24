import { fmtFixed, fmtInt, fmtP, fmtPercent, MISSING } from "./format.js";
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

export function srmLine(analysis: ReportAnalysis): Line<"ok" | "mismatch"> {
  const stats = `χ² = ${fmtFixed(analysis.srm.chi2, 2)}, p = ${fmtP(analysis.srm.p_value)}`;
  return analysis.srm.ok
    ? { status: "ok", text: `no mismatch (${stats})` }
    : {
        status: "mismatch",
        text: `mismatch (${stats}): the assignment or logging is broken; do not trust the results until it is explained`,
      };
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

export function provenanceText(input: Pick<ReportInput, "analysis" | "experiment" | "date">): string {
  const p = input.analysis.provenance;
  const parts = [
    `source commit \`${(p.sourceCommit ?? "unknown").slice(0, 12)}\``,
    `definitions sha256 \`${p.definitionsSha256.slice(0, 12)}\``,
    `SQL sha256 \`${p.sqlSha256.slice(0, 12)}\``,
    `engine ${p.engine}`,
    `data window ${p.dataWindow.start ?? "?"} → ${p.dataWindow.end ?? "?"}`,
  ];
  return `Reproduce with \`exp analyze ${input.experiment.key} --as-of ${p.dataWindow.end ?? input.date}\`. Provenance: ${parts.join(" · ")}.`;
}
