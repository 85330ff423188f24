import { readFile } from "node:fs/promises";
import { renderOne } from "../diagnostics/render.js";
import { painterFor } from "../diagnostics/style.js";
import { ExpError } from "../diagnostics/errors.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../plan/model.js";
import { renderPlanMarkdown } from "../plan/render-markdown.js";
import { renderPlanTail, renderPlanText } from "../plan/render-text.js";
import { interactive } from "../ui/terminal.js";
import type { Workspace } from "../workspace/model.js";
import { CLI_CODES } from "./codes.js";
import type { OutputFormat } from "./shared.js";

/** How `exp plan` and `exp apply` show a plan, and read a saved one (shared plumbing, no command). */

export function renderPlan(
  plan: Plan,
  format: OutputFormat,
  ws: Workspace | undefined,
  stream: { isTTY?: boolean } = process.stdout,
): string {
  if (format === "json") return `${JSON.stringify(plan, null, 2)}\n`;
  if (format === "markdown") return renderPlanMarkdown(plan);
  const paint = painterFor(stream);
  return renderPlanText(plan, paint, (d) => renderOne(d, (f) => ws?.files.get(f), paint));
}

/** Prints a plan; on a terminal the changes and checks are drawn with ink, then the diagnostics as text. */
export async function printPlan(plan: Plan, format: OutputFormat, ws: Workspace): Promise<void> {
  if (format !== "text" || !interactive(process.stdout)) {
    process.stdout.write(renderPlan(plan, format, ws));
    return;
  }
  const { printPlanWithInk } = await import("../ui/plan-view.js");
  await printPlanWithInk(plan);
  const paint = painterFor(process.stdout);
  process.stdout.write(renderPlanTail(plan, paint, (d) => renderOne(d, (f) => ws.files.get(f), paint)));
}

/** Reads a saved plan, refusing files that are not plans of this format. */
export async function readPlanFile(path: string): Promise<Plan> {
  const bad = (message: string, suggestion?: string) => ExpError.of(CLI_CODES.badPlanFile, message, { suggestion });
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw bad(`cannot read the plan file "${path}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let plan: Plan;
  try {
    plan = JSON.parse(text) as Plan;
  } catch {
    throw bad(`"${path}" is not a plan file: it is not valid JSON`, "make one with `exp plan --out plan.json`");
  }
  if (plan?.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(plan.changes) || typeof plan.desiredChecksum !== "string")
    throw bad(`"${path}" is not a plan file of format ${PLAN_FORMAT_VERSION}`, "make one with `exp plan --out plan.json`");
  return plan;
}
