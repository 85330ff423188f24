import type { Command } from "commander";
import { resolveActor } from "../plan/audit-actor.js";
import { rollback } from "../plan/rollback.js";
import { readPublishLocation } from "../plan/target/config.js";
import { openPublishTarget } from "../plan/target/open.js";
import type { LockOwner, RulesetVerifier } from "../plan/target/target.js";
import { verifyRuleset } from "../compiler/ruleset/verify.js";
import { UserError } from "./errors.js";
import { action } from "./run.js";
import { checkFormat, withPublishErrors } from "./audit.js";

interface RollbackOptions {
  dir?: string;
  to?: string;
  format?: string;
  lockTimeout?: string;
}

/** `exp rollback [--to N]`: make a stored ruleset version current again, and audit it. */
export function registerRollback(program: Command): void {
  program
    .command("rollback")
    .description("republish a previous ruleset version at once (re-points current; `exp plan` then reports drift until git matches)")
    .option("--to <version>", "the version to make current (default: the one before current)")
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward with exp.yaml)")
    .option("--format <format>", "text | json | markdown", "text")
    .option("--lock-timeout <ms>", "how long to wait for another publisher's lock", "10000")
    .action(
      action(async (opts: RollbackOptions) => {
        const format = checkFormat(opts.format);
        const to = opts.to === undefined ? undefined : parsePositive(opts.to, "--to");
        const lockTimeoutMs = parsePositive(opts.lockTimeout ?? "10000", "--lock-timeout");
        return withPublishErrors(async () => {
          const { root, config } = readPublishLocation(opts.dir ?? process.cwd());
          const target = openPublishTarget(config, root, { verify: verifyCompiled, onStaleLockBroken: noteStale });
          const actor = await resolveActor(root);
          const outcome = await rollback(target, { to, actor, lockTimeoutMs });
          const view = {
            ok: true,
            target: target.description,
            fromVersion: outcome.from.version,
            toVersion: outcome.to.version,
            checksum: outcome.to.checksum,
            sourceCommit: outcome.to.sourceCommit,
            audit: outcome.record,
          };
          if (format === "json") process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
          else {
            const tick = format === "markdown" ? "`" : "";
            process.stdout.write(
              `rolled back ${view.target}: version ${view.fromVersion} → ${view.toVersion} (audit seq ${view.audit.seq}).\n` +
                `${tick}exp plan${tick} will report drift until git matches version ${view.toVersion}${view.sourceCommit ? ` (commit ${view.sourceCommit.slice(0, 12)})` : ""}.\n`,
            );
          }
          return 0;
        });
      }),
    );
}

/** A rolled-back-to version must still pass the compiler's schema and checksum check. */
const verifyCompiled: RulesetVerifier = (ruleset) => {
  const v = verifyRuleset(ruleset);
  return v.ok ? { ok: true } : { ok: false, message: v.diagnostics.map((d) => d.message).join("; ") };
};

function noteStale(owner: LockOwner): void {
  process.stderr.write(
    `note: removed a stale lock of ${owner.holder} (pid ${owner.pid} on host ${owner.host}, since ${owner.since}); that process is no longer running\n`,
  );
}

function parsePositive(text: string, flag: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new UserError(`${flag} needs a positive whole number, not "${text}"`);
  return n;
}
