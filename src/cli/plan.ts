import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { renderOne } from "../diagnostics/render.js";
import { painterFor } from "../diagnostics/style.js";
import { writeFileAtomic } from "../fsio/atomic.js";
import { PLAN_FORMAT_VERSION, type Plan } from "../plan/model.js";
import { renderPlanMarkdown } from "../plan/render-markdown.js";
import { renderPlanTail, renderPlanText } from "../plan/render-text.js";
import { interactive } from "../ui/terminal.js";
import type { Workspace } from "../workspace/model.js";
import { UserError } from "./errors.js";
import { preparePlan } from "./plan-pipeline.js";
import { action } from "./run.js";
import { loadWorkspaceOrExit, parseFormat, withWorkspaceOptions, type OutputFormat } from "./shared.js";

export function registerPlan(program: Command): void {
  withWorkspaceOptions(
    program
      .command("plan")
      .description(
        "diff the desired ruleset against the published one, run the checks, print the plan (exit 0 no changes, 1 error, 2 changes, 3 checks failed)",
      )
      .option("--out <file>", "save the plan as JSON for `exp apply <file>`"),
  ).action(
    action(async (opts: { dir?: string; format?: string; out?: string }) => {
      const format = parseFormat(opts.format);
      const ws = await loadWorkspaceOrExit(opts);
      const { plan } = await preparePlan(ws);
      if (opts.out) await writeFileAtomic(resolve(process.cwd(), opts.out), `${JSON.stringify(plan, null, 2)}\n`);
      await printPlan(plan, format, ws);
      return plan.exitCode;
    }),
  );
}

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
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new UserError(`cannot read the plan file "${path}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let plan: Plan;
  try {
    plan = JSON.parse(text) as Plan;
  } catch {
    throw new UserError(`"${path}" is not a plan file: it is not valid JSON`, 1, "make one with `exp plan --out plan.json`");
  }
  if (plan?.formatVersion !== PLAN_FORMAT_VERSION || !Array.isArray(plan.changes) || typeof plan.desiredChecksum !== "string")
    throw new UserError(`"${path}" is not a plan file of format ${PLAN_FORMAT_VERSION}`, 1, "make one with `exp plan --out plan.json`");
  return plan;
}
