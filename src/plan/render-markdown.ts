import type { DiagnosticJson } from "../diagnostics/diagnostic.js";
import type { Change, Plan } from "./model.js";
import { causeSentence, reassignmentSentence } from "./view.js";
import { fieldView } from "./view-values.js";
import { SYMBOL, VERB } from "./render-value.js";

/** The pull-request view of a plan: a summary, one collapsible block per object, then the checks. */
export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [];
  const { create, update, delete: del, replace } = plan.summary;
  const failed = plan.checks.filter((c) => c.status === "failed");
  const env = plan.environment !== undefined ? ` (${plan.environment})` : "";
  out.push(`### exp plan${env}: ${create} to create, ${update} to update, ${del} to delete${replace ? `, ${replace} to replace` : ""}`);
  out.push("");
  if (plan.environment !== undefined) out.push(`Environment: **${plan.environment}**`, "");
  out.push(
    plan.basedOnVersion === null
      ? "Compared with: nothing published yet."
      : `Compared with published **v${plan.basedOnVersion}** (\`${(plan.basedOnChecksum ?? "").slice(0, 12)}\`).`,
  );
  if (failed.length)
    out.push("", `**${failed.length} check${failed.length === 1 ? "" : "s"} failed** — this plan cannot be applied as it is.`);
  if (plan.drift)
    out.push(
      "",
      `> ⚠️ **Drift:** published v${plan.drift.version} was not produced by applying git (${plan.drift.cause}). ${plan.drift.reconcile}`,
    );
  const moving = plan.changes.filter((c) => c.reassignment);
  if (moving.length) {
    out.push("", "#### Who would be moved", "", "| experiment | switch variant | leave | new units | exact |", "|---|---:|---:|---:|---|");
    for (const c of moving) {
      const r = c.reassignment!;
      const f = (x: number | null) => (x === null ? "unknown" : `${(x * 100).toFixed(2)}%`);
      out.push(`| \`${r.experiment}\` | ${f(r.switchShare)} | ${f(r.leaveShare)} | ${f(r.newShare)} | ${r.exact ? "yes" : "no"} |`);
    }
  }
  if (plan.changes.length === 0) out.push("", "No changes: the published ruleset matches the workspace.");
  else out.push("", "#### Changes", "");
  for (const c of plan.changes) out.push(...renderChange(c));
  if (plan.checks.length) {
    out.push("", "#### Checks", "", "| check | result |", "|---|---|");
    for (const c of plan.checks)
      out.push(`| ${c.name} | ${c.status === "passed" ? "✅ passed" : c.status === "failed" ? "❌ failed" : "⚠️ warnings"} |`);
    const diags = plan.checks.flatMap((c) => c.diagnostics);
    if (diags.length) out.push("", ...diags.map(diagnosticLine));
  }
  return `${out.join("\n")}\n`;
}

function renderChange(c: Change): string[] {
  const lines = ["<details>", `<summary><code>${SYMBOL[c.action]} ${c.address}</code> ${VERB[c.action]}</summary>`, "", "```diff"];
  // The same field views as the terminal plan (src/plan/view-values.ts): values in full, traffic and
  // weights in percent, conditions as expressions, lists as line diffs.
  for (const d of c.fieldDiffs) {
    const f = fieldView(c, d);
    const v = f.value;
    if (v.layout === "inline") lines.push(`${f.sign === "~" ? " " : f.sign} ${f.label}: ${v.text}`);
    else if (v.layout === "change") lines.push(`- ${f.label}: ${v.before}`, `+ ${f.label}: ${v.after}`);
    else lines.push(`  ${f.label}:`, ...v.lines.map((l) => `${l.sign === "~" ? " " : l.sign}     ${l.text}`));
  }
  lines.push("```");
  if (c.reassignment)
    lines.push(
      "",
      `**Reassignment:** ${reassignmentSentence(c.reassignment)}.`,
      ...c.reassignment.causes.map((x) => `- ${causeSentence(x)}`),
    );
  lines.push("", "</details>", "");
  return lines;
}

function diagnosticLine(d: DiagnosticJson): string {
  const icon = d.severity === "error" ? "❌" : d.severity === "warning" ? "⚠️" : "ℹ️";
  const at = d.file ? ` \`${d.file}:${d.line}:${d.column}\`` : "";
  return `- ${icon} **${d.code}**${at} ${d.message}${d.suggestion ? ` (${d.suggestion})` : ""}`;
}
