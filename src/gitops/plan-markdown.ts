import type { DiagnosticJson } from "../diagnostics/diagnostic.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../plan/model.js";
import { renderPlanMarkdown as renderSavedPlan } from "../plan/render-markdown.js";
import type { PlanForGitHub } from "./plan-input.js";
import { conclusionOf } from "./plan-input.js";

const icon: Record<DiagnosticJson["severity"], string> = { error: "❌", warning: "⚠️", info: "ℹ️" };

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function where(d: DiagnosticJson): string {
  if (!d.file) return "";
  return d.line ? `\`${d.file}:${d.line}:${d.column ?? 1}\`` : `\`${d.file}\``;
}

/** The markdown posted when the plan brings none of its own: a verdict and a table of diagnostics. */
export function renderPlanMarkdown(plan: PlanForGitHub, title = "exp plan"): string {
  const lines = [`### ${title}`, ""];
  const failed = conclusionOf(plan) === "failure";
  const counts = (["error", "warning", "info"] as const).map((s) => [s, plan.diagnostics.filter((d) => d.severity === s).length] as const);
  lines.push(
    failed ? "**Result: failed.**" : "**Result: passed.**",
    "",
    counts.map(([s, n]) => `${n} ${s}${n === 1 ? "" : s === "info" ? "" : "s"}`).join(", "),
    "",
  );
  if (plan.diagnostics.length > 0) {
    lines.push("| | code | where | message |", "|---|---|---|---|");
    for (const d of plan.diagnostics) {
      const msg = d.suggestion ? `${d.message} (${d.suggestion})` : d.message;
      lines.push(`| ${icon[d.severity]} | ${d.code} | ${cell(where(d))} | ${cell(msg)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/**
 * The markdown to post: the plan's own markdown when given, else a saved plan rendered by the
 * planner's markdown view (the one `exp plan --format markdown` prints), else the fallback table.
 */
export function planMarkdown(plan: PlanForGitHub): string {
  if (plan.markdown !== undefined && plan.markdown.trim() !== "") return plan.markdown;
  // A plan file of another format version would be misread; the table below reads only its diagnostics.
  if (plan.savedPlan?.formatVersion === PLAN_FORMAT_VERSION) {
    try {
      return renderSavedPlan(plan.savedPlan as unknown as Plan);
    } catch {
      // A file that has a plan's shape on the outside but not inside: post the table below.
    }
  }
  return renderPlanMarkdown(plan);
}
