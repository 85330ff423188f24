import type { Command } from "commander";
import { stopExperiment } from "../app/stop.js";
import { action } from "./run.js";
import { badOption, noteStaleLock, parseFormat, parsePositive, withEnvironmentOption } from "./shared.js";

interface StopOptions {
  dir?: string;
  reason?: string;
  format?: string;
  lockTimeout?: string;
  env?: string;
}

/** `exp stop <experiment> --reason R`: break glass, stop one experiment in the published ruleset now. */
export function registerStop(program: Command): void {
  withEnvironmentOption(program.command("stop"))
    .description(
      "stop one experiment in the published ruleset at once, nothing else changed (break glass; `exp plan` reports drift until git says stopped too)",
    )
    .argument("<experiment>", "experiment key")
    .requiredOption("--reason <text>", "why, for the audit log (e.g. the breached guardrail)")
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward with exp.yaml)")
    .option("--format <format>", "text | json", "text")
    .option("--lock-timeout <ms>", "how long to wait for another publisher's lock", "10000")
    .action(
      action(async (experiment: string, opts: StopOptions) => {
        const format = parseFormat(opts.format);
        const reason = (opts.reason ?? "").trim();
        if (reason === "") throw badOption("--reason needs a few words saying why the experiment is stopped");
        const lockTimeoutMs = parsePositive(opts.lockTimeout ?? "10000", "--lock-timeout");
        const view = await stopExperiment(opts.dir ?? process.cwd(), {
          experiment,
          reason,
          lockTimeoutMs,
          onStaleLockBroken: noteStaleLock,
          environment: opts.env,
        });
        if (format === "json") process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
        else
          process.stdout.write(
            `stopped "${experiment}" in ${view.target}: version ${view.fromVersion} → ${view.toVersion} (audit seq ${view.audit.seq}).\n` +
              `Set status: stopped in its experiment file and merge it; until then exp plan reports drift.\n`,
          );
        return 0;
      }),
    );
}
