import type { Command } from "commander";
import { rollbackPublished } from "../app/rollback.js";
import { action } from "./run.js";
import { noteStaleLock, parseFormat, parsePositive, withEnvironmentOption } from "./shared.js";

interface RollbackOptions {
  dir?: string;
  to?: string;
  format?: string;
  lockTimeout?: string;
  env?: string;
}

/** `exp rollback [--to N]`: make a stored ruleset version current again, and audit it. */
export function registerRollback(program: Command): void {
  withEnvironmentOption(program.command("rollback"))
    .description("republish a previous ruleset version at once (re-points current; `exp plan` then reports drift until git matches)")
    .option("--to <version>", "the version to make current (default: the one before current)")
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward with exp.yaml)")
    .option("--format <format>", "text | json | markdown", "text")
    .option("--lock-timeout <ms>", "how long to wait for another publisher's lock", "10000")
    .action(
      action(async (opts: RollbackOptions) => {
        const format = parseFormat(opts.format);
        const to = opts.to === undefined ? undefined : parsePositive(opts.to, "--to");
        const lockTimeoutMs = parsePositive(opts.lockTimeout ?? "10000", "--lock-timeout");
        const view = await rollbackPublished(opts.dir ?? process.cwd(), {
          to,
          lockTimeoutMs,
          onStaleLockBroken: noteStaleLock,
          environment: opts.env,
        });
        if (format === "json") process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
        else {
          const tick = format === "markdown" ? "`" : "";
          process.stdout.write(
            `rolled back ${view.environment !== undefined ? `environment "${view.environment}" (${view.target})` : view.target}: version ${view.fromVersion} → ${view.toVersion} (audit seq ${view.audit.seq}).\n` +
              `${tick}exp plan${tick} will report drift until git matches version ${view.toVersion}${view.sourceCommit ? ` (commit ${view.sourceCommit.slice(0, 12)})` : ""}.\n`,
          );
        }
        return 0;
      }),
    );
}
