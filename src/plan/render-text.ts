import type { DiagnosticJson } from "../diagnostics/diagnostic.js";
import type { Painter as Styler } from "../diagnostics/style.js";
import type { Change, Plan, Reassignment } from "./model.js";
import { pct } from "./reassign.js";
import { SYMBOL, VERB, showValue } from "./render-value.js";

export type DiagnosticPrinter = (d: DiagnosticJson) => string;

/** The terminal view of a plan, rendered from its JSON form only (so text and JSON cannot drift). */
export function renderPlanText(plan: Plan, s: Styler, printDiagnostic: DiagnosticPrinter): string {
  return `${renderPlanHead(plan, s)}${renderPlanTail(plan, s, printDiagnostic)}`.replace(/\n{3,}/g, "\n\n");
}

/** The changes and the check list (the part a TTY shows through ink). */
export function renderPlanHead(plan: Plan, s: Styler): string {
  const out: string[] = [];
  const base =
    plan.basedOnVersion === null
      ? "nothing is published yet"
      : `published v${plan.basedOnVersion} (${(plan.basedOnChecksum ?? "").slice(0, 12)})`;
  out.push(s("emphasis", `exp plan: the workspace compared with ${base}`), "");
  if (plan.drift) {
    out.push(s("warning", `! drift: published v${plan.drift.version} was not produced by applying git (${plan.drift.cause}).`));
    out.push(`  ${plan.drift.reconcile}`, "");
  }
  if (plan.changes.length === 0) out.push("No changes. The published ruleset matches the workspace.", "");
  for (const c of plan.changes) out.push(...renderChange(c, s), "");
  if (plan.checks.length) {
    out.push(s("emphasis", "Checks:"));
    for (const c of plan.checks) {
      const mark = c.status === "passed" ? s("success", "✔") : c.status === "failed" ? s("error", "✖") : s("warning", "!");
      out.push(`  ${mark} ${c.name}${c.diagnostics.length ? s("muted", ` (${c.diagnostics.length})`) : ""}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** The checks' diagnostics with caret snippets, and the summary line. */
export function renderPlanTail(plan: Plan, s: Styler, printDiagnostic: DiagnosticPrinter): string {
  const out: string[] = [""];
  for (const c of plan.checks) for (const d of c.diagnostics) out.push(printDiagnostic(d).trimEnd(), "");
  const failed = plan.checks.filter((c) => c.status === "failed");
  const { create, update, delete: del, replace } = plan.summary;
  out.push(
    s("emphasis", `Plan: ${create} to create, ${update} to update, ${del} to delete${replace ? `, ${replace} to replace` : ""}.`) +
      (failed.length ? s("error", ` ${failed.length} check${failed.length === 1 ? "" : "s"} failed.`) : ""),
  );
  return `${out.join("\n")}\n`;
}

function renderChange(c: Change, s: Styler): string[] {
  const lines = [`  ${s(c.action, `${SYMBOL[c.action]} ${c.address}`)} ${VERB[c.action]}`];
  for (const d of c.fieldDiffs) {
    const path = d.path || "value";
    if (c.action === "create") lines.push(`      ${s("create", "+")} ${path}: ${showValue(d.after)}`);
    else if (c.action === "delete") lines.push(`      ${s("delete", "-")} ${path}: ${showValue(d.before)}`);
    else if (d.before === undefined) lines.push(`      ${s("create", "+")} ${path}: ${showValue(d.after)}`);
    else if (d.after === undefined) lines.push(`      ${s("delete", "-")} ${path}: ${showValue(d.before)}`);
    else lines.push(`      ${s("update", "~")} ${path}: ${showValue(d.before, 40)} → ${showValue(d.after, 40)}`);
  }
  if (c.reassignment) lines.push(...renderReassignment(c.reassignment, s));
  return lines;
}

export function reassignmentSentence(r: Reassignment): string {
  if (r.switchShare === null) return "an unknown share of enrolled units would switch or leave (targeting changed)";
  const parts = [`${pct(r.switchShare)} of enrolled units would switch variant`, `${pct(r.leaveShare ?? 0)} would leave`];
  if (r.newShare) parts.push(`new units: ${pct(r.newShare)} of today's count`);
  return `${parts.join(", ")}${r.exact ? "" : " (expected, not exact)"}`;
}

function renderReassignment(r: Reassignment, s: Styler): string[] {
  const moving = r.switchShare === null || (r.switchShare ?? 0) > 0 || (r.leaveShare ?? 0) > 0;
  const head = `      ${moving ? s("warning", "⚠ reassignment:") : s("muted", "reassignment:")} ${reassignmentSentence(r)}`;
  return [head, ...r.causes.map((c) => s("muted", `        · ${c}`))];
}
