import type { Command } from "commander";
import { resolve } from "node:path";
import { preparePlanOrExit } from "./plan-pipeline.js";
import { printPlan } from "./plan-io.js";
import { action } from "./run.js";
import { loadEnvironmentOrExit, parseFormat, withEnvironmentOption, withWorkspaceOptions, writeOutputFile } from "./shared.js";

export function registerPlan(program: Command): void {
  withEnvironmentOption(
    withWorkspaceOptions(
      program
        .command("plan")
        .description(
          "diff the desired ruleset against the published one, run the checks, print the plan (exit 0 no changes, 1 error, 2 changes, 3 checks failed)",
        )
        .option("--out <file>", "save the plan as JSON for `exp apply <file>`"),
    ),
  ).action(
    action(async (opts: { dir?: string; format?: string; out?: string; env?: string }) => {
      const format = parseFormat(opts.format);
      const ws = await loadEnvironmentOrExit(opts);
      const { plan } = await preparePlanOrExit(ws);
      if (opts.out) await writeOutputFile(resolve(process.cwd(), opts.out), `${JSON.stringify(plan, null, 2)}\n`);
      await printPlan(plan, format, ws);
      return plan.exitCode;
    }),
  );
}
