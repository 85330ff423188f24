import type { EvaluationJson } from "../stats/off-policy-comparison.js";
import type { Num } from "../stats/analysis-types.js";
import { fmtInt, fmtNumber, fmtPercent, fmtSignedPercent, MISSING } from "./format.js";

/**
 * Off-policy evaluations (docs/analysis.md#off-policy-evaluation), laid out once for the markdown
 * report, `exp analyze` and `exp evaluate`: per evaluation a sentence on the decisions and their
 * weights, its warnings, a row per estimator, and the online result beside it when there is one.
 */

const NAMES = { ips: "IPS", snips: "SNIPS", dr: "doubly robust" } as const;

export interface OffPolicyRow {
  estimator: string;
  value: string;
  ci: string;
  /** Target minus logging policy, and its interval. */
  diff: string;
  diffCi: string;
  relLift: string;
}

const signed = (x: Num) => (x === null ? MISSING : `${x > 0 ? "+" : ""}${fmtNumber(x)}`);
const range = (a: Num, b: Num, f: (x: Num) => string) => (a === null || b === null ? MISSING : `${f(a)} to ${f(b)}`);

export function offPolicyRows(e: EvaluationJson): OffPolicyRow[] {
  const rows: OffPolicyRow[] = [
    {
      estimator: "logging policy",
      value: fmtNumber(e.logging.value),
      ci: range(e.logging.ci[0], e.logging.ci[1], fmtNumber),
      diff: "",
      diffCi: "",
      relLift: "",
    },
  ];
  for (const x of e.estimates)
    rows.push({
      estimator: NAMES[x.estimator],
      value: fmtNumber(x.value),
      ci: range(x.ci[0], x.ci[1], fmtNumber),
      diff: signed(x.diff),
      diffCi: range(x.diff_ci[0], x.diff_ci[1], signed),
      relLift: fmtSignedPercent(x.rel_lift),
    });
  return rows;
}

/** One sentence on the decisions read and the weights: what a reader needs to judge the intervals. */
export function offPolicySummary(e: EvaluationJson): string {
  const w = e.weights;
  const clip =
    e.clip.cap === null
      ? "weights not clipped"
      : `weights clipped at ${fmtNumber(e.clip.cap)} (${fmtInt(e.clip.clipped)} decision${e.clip.clipped === 1 ? "" : "s"}, ${fmtPercent(e.clip.share)})`;
  return [
    `${fmtInt(e.rows)} decisions of \`${e.table}\` (${fmtInt(e.units)} units, ${fmtInt(e.contexts)} contexts, ${fmtInt(e.actions)} actions${e.invalid_rows ? `; ${fmtInt(e.invalid_rows)} invalid rows left out` : ""})`,
    `effective sample size ${fmtNumber(w.ess, 1)} (${fmtPercent(w.ess_share, 1)})`,
    `largest weight ${fmtNumber(w.max_weight, 2)}`,
    `${fmtInt(w.below_floor)} propensities below ${fmtPercent(w.propensity_floor, 1)}`,
    clip,
  ].join("; ");
}

/** The offline-to-online sentence, or nothing without an online result. */
export function onlineSentence(e: EvaluationJson): string | undefined {
  const o = e.online;
  if (!o) return undefined;
  const lo = o.online_rel_ci[0];
  const hi = o.online_rel_ci[1];
  // Agreement means something only when the online interval excludes zero.
  const verdict =
    o.agree === null || lo === null || hi === null
      ? ""
      : lo <= 0 && hi >= 0
        ? " The online interval includes zero, so it neither confirms nor contradicts the offline estimate."
        : o.agree
          ? " Both point the same way."
          : " They point opposite ways: check the logging propensities and the reward model.";
  return `Online, \`${o.experiment}\` measured \`${o.metric}\` for \`${o.variant}\` against \`${o.control}\` at ${fmtSignedPercent(o.online_rel_lift)} (${range(o.online_rel_ci[0], o.online_rel_ci[1], fmtSignedPercent)}); offline, ${NAMES[o.estimator]} estimated ${fmtSignedPercent(o.offline_rel_lift)} for the target policy over the logging policy.${verdict}`;
}

/** The markdown section, or "" when there are no evaluations. */
export function offPolicyMarkdown(evaluations: readonly EvaluationJson[] | undefined, heading = "###"): string {
  if (!evaluations?.length) return "";
  const out = [`${heading} Off-policy evaluation`, ""];
  for (const e of evaluations) {
    out.push(`**\`${e.evaluation}\`**: ${offPolicySummary(e)}.`, "");
    for (const w of e.warnings) out.push(`- ⚠️ ${w}`);
    if (e.warnings.length) out.push("");
    out.push(
      `| estimator | value | ${Math.round((1 - e.alpha) * 100)}% CI | vs logging | CI | relative |`,
      "|---|---:|---:|---:|---:|---:|",
    );
    for (const r of offPolicyRows(e)) out.push(`| ${r.estimator} | ${r.value} | ${r.ci} | ${r.diff} | ${r.diffCi} | ${r.relLift} |`);
    out.push("");
    const online = onlineSentence(e);
    if (online) out.push(online, "");
  }
  return out.join("\n").trimEnd();
}

/** Plain lines for the terminal (the caller paints headings). */
export function offPolicyTextLines(evaluations: readonly EvaluationJson[] | undefined): string[] {
  if (!evaluations?.length) return [];
  const out: string[] = [];
  for (const e of evaluations) {
    out.push(`${e.evaluation}: ${offPolicySummary(e).replace(/`/g, "")}`);
    for (const w of e.warnings) out.push(`  warning: ${w}`);
    const rows = [
      ["estimator", "value", "CI", "vs logging", "CI", "relative"],
      ...offPolicyRows(e).map((r) => [r.estimator, r.value, r.ci, r.diff, r.diffCi, r.relLift]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) out.push(`  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}`.trimEnd());
    const online = onlineSentence(e);
    if (online) out.push(`  ${online.replace(/`/g, "")}`);
  }
  return out;
}

/** Across evaluations: how well offline lifts have tracked online ones. */
export function correlationSentence(c: { pairs: number; correlation: Num }): string {
  if (c.pairs === 0) return "No evaluation has an online result to compare with yet.";
  if (c.correlation === null)
    return `${c.pairs} evaluation${c.pairs === 1 ? " has" : "s have"} an online result; the offline-to-online correlation needs at least three.`;
  return `Offline-to-online correlation of relative lifts across ${c.pairs} evaluations: r = ${fmtNumber(c.correlation, 3)}.`;
}
