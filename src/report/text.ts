import type { Painter, StyleToken } from "../diagnostics/style.js";
import { fmtInt, MISSING } from "./format.js";
import type { ReportInput } from "./model.js";
import { tierTables, type ResultRow } from "./rows.js";
import { factorialRows } from "./factorial.js";
import { offPolicyTextLines } from "./off-policy.js";
import { covariatesText } from "./covariates.js";
import { breakdownText } from "./breakdown-text.js";
import { interleavingFacts, interleavingUnits, interleavingVerdict } from "./interleaving.js";
import { holdoutTextLines, shownDecision } from "./holdout.js";
import {
  amendmentsText,
  armShares,
  datesText,
  guardrailLines,
  horizonLine,
  minimumsLine,
  phaseText,
  powerLine,
  srmLine,
} from "./summary.js";
import type { Verdict } from "./verdict.js";

/**
 * The terminal view of a report (docs/reports.md: the same data renders as text): the header, the per-tier
 * tables, guardrails, power and the decision, from the same rows and sentences as the markdown.
 * Colour comes only through the painter's tokens, so a plain painter gives plain text.
 */

const VERDICT_TOKEN: Record<Verdict, StyleToken> = {
  win: "success",
  loss: "error",
  flat: "muted",
  "guardrail breached": "error",
  inconclusive: "warning",
  "no result": "warning",
};

const DECISION_TOKEN: Record<string, StyleToken> = {
  ship: "success",
  keep_running: "info",
  stop: "error",
  rollback: "error",
  investigate: "warning",
};
const GUARD_TOKEN: Record<string, StyleToken> = {
  passed: "success",
  breached: "error",
  inconclusive: "warning",
  failed: "warning",
  none: "muted",
};
const GUARD_MARK: Record<string, string> = { passed: "✔", breached: "✖", inconclusive: "?", failed: "!", none: "-" };

interface Cell {
  text: string;
  token?: StyleToken;
  right?: boolean;
}

const columnWidths = (rows: Cell[][]) => rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!.text].length)));

/** Pads on the plain text, then paints, so colour codes never disturb the alignment. */
function grid(rows: Cell[][], paint: Painter, indent: string, widths = columnWidths(rows)): string[] {
  return rows.map((r) =>
    (
      indent +
      r
        .map((c, i) => {
          const gap = " ".repeat(widths[i]! - [...c.text].length);
          const body = c.token ? paint(c.token, c.text) : c.text;
          return c.right ? gap + body : i === r.length - 1 ? body : body + gap;
        })
        .join("  ")
    ).trimEnd(),
  );
}

const cell = (text: string, right = false): Cell => ({ text, right, ...(text === MISSING ? { token: "muted" as const } : {}) });

const RESULT_HEAD: Cell[] = ["metric", "variant", "control", "variant mean", "lift", "CI", "p (adj.)", "verdict"].map((t, i) => ({
  text: t,
  token: "muted",
  right: i >= 2 && i <= 6,
}));

function resultCells(rows: ResultRow[]): Cell[][] {
  return rows.map((r): Cell[] => [
    { text: `${r.metric}${r.cuped ? " (CUPED)" : ""}` },
    { text: r.variant },
    cell(r.controlMean, true),
    cell(r.variantMean, true),
    cell(r.lift, true),
    cell(r.ci, true),
    cell(r.p, true),
    { text: r.verdict, token: VERDICT_TOKEN[r.verdict] },
  ]);
}

/** Sentences are shared with the markdown, which marks code and bold; a terminal shows them bare. */
const bare = (s: string) => s.replace(/\*\*/g, "").replace(/`/g, "");

export function renderReportText(input: Omit<ReportInput, "daily">, paint: Painter): string {
  const { analysis, experiment } = input;
  const out: string[] = [];
  const title = experiment.name ? `${experiment.name} (${experiment.key})` : experiment.key;
  out.push(`${paint("emphasis", title)} ${paint("muted", `— report of ${input.date}`)}`);
  const amendmentsFact = amendmentsText(input);
  const facts: [string, string][] = [
    ["phase", phaseText(analysis)],
    ["hypothesis", experiment.hypothesis ?? MISSING],
    ...(amendmentsFact ? [["amendments", amendmentsFact] as [string, string]] : []),
    ["owner", experiment.owner ?? MISSING],
    ["dates", datesText(input)],
    ["method", `${analysis.method}, α = ${analysis.alpha}`],
    ["horizon", horizonLine(analysis).text],
    ["minimums", minimumsLine(analysis).text],
  ];
  out.push(
    ...grid(
      facts.map(([k, v]) => [{ text: k, token: "muted" }, { text: v }]),
      paint,
      "  ",
    ),
    "",
  );

  const shares = armShares(input);
  if (analysis.interleaving) out.push(`  units: ${interleavingUnits(analysis.interleaving)}`);
  else
    out.push(
      ...grid(
        [
          ["variant", "units", "share", "expected"].map((t, i) => ({ text: t, token: "muted" as const, right: i > 0 })),
          ...shares.map((a): Cell[] => [
            { text: a.control && a.variant !== "control" ? `${a.variant} (control)` : a.variant },
            cell(a.units, true),
            cell(a.share, true),
            cell(a.expected, true),
          ]),
        ],
        paint,
        "  ",
      ),
    );
  if (!analysis.interleaving) {
    const srm = srmLine(analysis);
    out.push(`  sample ratio: ${paint(srm.status === "ok" ? "success" : "error", srm.text)}`);
  }
  if (analysis.multiple_exposures > 0)
    out.push(`  ${fmtInt(analysis.multiple_exposures)} units saw more than one variant and were excluded.`);
  const holdout = holdoutTextLines(analysis);
  if (holdout.length) out.push("", paint("emphasis", "Holdout"), ...holdout.map((l) => `  ${l}`));

  const tables = tierTables(analysis, experiment.control, input.metrics);
  // One set of column widths for every tier, so the tables read as one.
  const widths = columnWidths([RESULT_HEAD, ...tables.flatMap((t) => resultCells(t.rows))]);
  for (const t of tables) {
    out.push("", paint("emphasis", t.title), ...grid([RESULT_HEAD, ...resultCells(t.rows)], paint, "  ", widths));
    for (const r of t.rows.filter((x) => x.reason)) out.push(`  ${paint("warning", "!")} ${r.metric} · ${r.variant}: ${r.reason}.`);
  }

  const factorial = factorialRows(analysis, input.metrics);
  if (factorial.rows.length || factorial.skipped.length) {
    const head = ["metric", "term", "contrast", "effect", "CI", "p (adj.)", ""].map((t, i) => ({
      text: t,
      token: "muted" as const,
      right: i >= 3 && i <= 5,
    }));
    const rows = factorial.rows.map((r): Cell[] => [
      { text: r.metric },
      { text: r.term },
      { text: r.contrast },
      cell(r.estimate, true),
      cell(r.ci, true),
      cell(r.p, true),
      r.significant ? { text: "significant", token: "success" } : { text: "" },
    ]);
    out.push("", paint("emphasis", "Factorial effects"), ...(rows.length ? grid([head, ...rows], paint, "  ") : []));
    for (const s of factorial.skipped) out.push(`  ${paint("warning", "!")} ${bare(s)}.`);
  }
  out.push(...breakdownText(analysis, paint));

  const offPolicy = offPolicyTextLines(analysis.off_policy);
  if (offPolicy.length) out.push("", paint("emphasis", "Off-policy evaluation"), ...offPolicy.map((l) => `  ${l}`));
  const covariates = covariatesText(analysis);
  if (covariates.length) out.push("", paint("emphasis", "CUPED on several covariates"), ...covariates.map((l) => `  ${l}`));

  if (analysis.interleaving) {
    const facts = interleavingFacts(analysis.interleaving).map(([k, v]): Cell[] => [{ text: k }, cell(v, true)]);
    out.push("", paint("emphasis", "Interleaving"), `  ${bare(interleavingVerdict(analysis.interleaving))}.`, ...grid(facts, paint, "  "));
  }

  out.push("", paint("emphasis", "Guardrails"));
  for (const g of guardrailLines(analysis, experiment.control))
    out.push(`  ${paint(GUARD_TOKEN[g.status]!, GUARD_MARK[g.status]!)} ${bare(g.text)}`);
  const power = powerLine(analysis);
  out.push("", paint("emphasis", "Power"), `  ${bare(power.text)}`);

  const decision = shownDecision(analysis);
  const rec = decision.recommendation;
  out.push("", `${paint("emphasis", "Decision:")} ${paint(DECISION_TOKEN[rec] ?? "emphasis", rec.replace(/_/g, " "))}`);
  for (const r of decision.reasons) out.push(`  - ${r}`);
  for (const n of analysis.notes ?? []) out.push(`  ${paint("note", "note:")} ${n}`);
  return `${out.join("\n")}\n`;
}
