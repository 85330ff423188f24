import type { Command } from "commander";
import { resolve } from "node:path";
import { lockPublishTarget, publishPlan } from "../app/publish.js";
import { locateWorkspace } from "../app/load-workspace.js";
import { ExpError } from "../diagnostics/errors.js";
import type { LockHandle } from "../plan/target/target.js";
import { confirmOnTerminal } from "../ui/confirm.js";
import type { Workspace } from "../workspace/model.js";
import { CLI_CODES } from "./codes.js";
import { preparePlanOrExit } from "./plan-pipeline.js";
import { printPlan, readPlanFile } from "./plan-io.js";
import { action } from "./run.js";
import { badOption, loadEnvironmentOrExit, parseFormat, withEnvironmentOption, withWorkspaceOptions } from "./shared.js";

export function registerApply(program: Command): void {
  withEnvironmentOption(
    withWorkspaceOptions(
      program
        .command("apply [plan]")
        .description("publish the workspace (or a saved plan) to the publish target, atomically and with an audit record")
        .option("--auto-approve", "do not ask for confirmation")
        .option("--lock-timeout <seconds>", "how long to wait for the publish lock", "30"),
    ),
  ).action(
    action(
      async (
        planFile: string | undefined,
        opts: { dir?: string; format?: string; autoApprove?: boolean; lockTimeout: string; env?: string },
      ) => {
        parseFormat(opts.format);
        const timeout = Number(opts.lockTimeout);
        if (!Number.isFinite(timeout) || timeout < 0)
          throw badOption(`--lock-timeout must be a number of seconds, not "${opts.lockTimeout}"`);
        // The lock is taken first and held from loading to publishing, so what is shown is what gets
        // published, and a second apply started meanwhile fails at once with the holder's name.
        const located = locateWorkspace(opts.dir);
        if (!located.root) throw new ExpError(located.diagnostics[0]!);
        const { actor, held } = await lockPublishTarget(located.root, { timeoutMs: timeout * 1000, environment: opts.env });
        const ws = await loadEnvironmentOrExit({ ...opts, dir: located.root }).catch(async (err: unknown) => {
          await held.release();
          throw err;
        });
        try {
          return await applyLocked(ws, planFile, opts, actor, held);
        } finally {
          await held.release();
        }
      },
    ),
  );
}

async function applyLocked(
  ws: Workspace,
  planFile: string | undefined,
  opts: { format?: string; autoApprove?: boolean },
  actor: string,
  held: LockHandle,
): Promise<number> {
  const ctx = await preparePlanOrExit(ws);
  const plan = planFile ? await readPlanFile(resolve(process.cwd(), planFile)) : ctx.plan;
  if (plan.environment !== ws.environment) {
    const of = (env: string | undefined) => (env === undefined ? "no environment" : `environment "${env}"`);
    throw ExpError.of(CLI_CODES.badPlanFile, `the plan file "${planFile}" is for ${of(plan.environment)}, not ${of(ws.environment)}`, {
      suggestion: `apply it with the --env it was made with, or run \`exp plan${ws.environment ? ` --env ${ws.environment}` : ""} --out plan.json\` again`,
    });
  }
  const json = opts.format === "json";
  // When a person is asked, the confirmation screen itself shows the plan, right above the question.
  const asking = !opts.autoApprove && ctx.plan.exitCode === 2 && Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (!json && !asking) await printPlan(ctx.plan, "text", ws);
  if (ctx.plan.exitCode === 1 || ctx.plan.exitCode === 3) {
    throw ExpError.of(
      CLI_CODES.planNotApplicable,
      ctx.plan.exitCode === 1 ? "the plan has errors; nothing was applied" : "the plan's checks failed; nothing was applied",
      { exitCode: ctx.plan.exitCode },
    );
  }
  if (ctx.plan.changes.length === 0 && plan.changes.length === 0) {
    if (json) process.stdout.write(`${JSON.stringify({ applied: false, reason: "no changes" })}\n`);
    else process.stdout.write("Nothing to apply.\n");
    return 0;
  }
  if (!opts.autoApprove) {
    if (!process.stdin.isTTY || !process.stdout.isTTY)
      throw ExpError.of(CLI_CODES.needsConfirmation, "refusing to apply without confirmation: stdin is not a terminal", {
        suggestion: "pass --auto-approve (for CI) or run in a terminal",
      });
    const ok = await confirmOnTerminal(
      "Do you want to publish these changes?",
      `exp will publish to ${ctx.target.description}. Only "yes" will be accepted to approve.`,
      { plan: ctx.plan, source: (f) => ws.files.get(f) },
    );
    if (!ok) {
      process.stdout.write("Apply cancelled; nothing was published.\n");
      return 1;
    }
  }
  const out = await publishPlan(ctx, { plan, actor, held });
  if (json)
    process.stdout.write(
      `${JSON.stringify({ applied: true, ...(ws.environment !== undefined ? { environment: ws.environment } : {}), fromVersion: out.fromVersion, toVersion: out.toVersion, checksum: out.checksum, auditSeq: out.record.seq })}\n`,
    );
  else
    process.stdout.write(
      `Applied: ${out.fromVersion === null ? "first version" : `v${out.fromVersion}`} → v${out.toVersion} (${out.checksum.slice(0, 12)}) in ${ws.environment !== undefined ? `environment "${ws.environment}" (${ctx.target.description})` : ctx.target.description}; audit record #${out.record.seq}.\n`,
    );
  return 0;
}
