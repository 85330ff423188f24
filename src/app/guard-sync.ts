import { writeFileAtomic } from "../fsio/atomic.js";
import { join } from "node:path";
import { parseAuditRecords } from "../plan/audit-verify.js";
import { verifier } from "../plan/prepare.js";
import { readPublishLocation } from "../plan/target/config.js";
import { openPublishTarget } from "../plan/target/open.js";
import { GUARD_SUMMARY } from "../plan/guard-break.js";
import type { PublishTarget } from "../plan/target/target.js";
import type { Workspace } from "../workspace/model.js";
import { withTopLevelFields } from "../workspace/set-fields.js";

/** One change a guard breach asks of git: what the guardrail workflow's pull request writes. */
export interface GuardGitChange {
  guard: string;
  /** The file changed, relative to the workspace. */
  file: string;
  /** The flag of a rolled-back rollout gets `enabled: false`; an experiment `status: stopped`. */
  set: { enabled: false } | { status: "stopped" };
}

/**
 * Writes into the workspace what the guards of `exp serve` did since the last `exp apply` (audit
 * records of action `guard` on the publish target): the guarded rollout's flag `enabled: false`, or
 * the guarded experiment's `status: stopped`, so that git and the runtime agree again once the pull
 * request is merged and applied. A change git already has is skipped; the rest of each file is kept.
 */
export async function writeGuardChanges(ws: Workspace, target: PublishTarget): Promise<GuardGitChange[]> {
  const records = parseAuditRecords(await target.auditText());
  const lastApply = records.map((r) => r.action).lastIndexOf("apply");
  const keys = new Set(
    records.slice(lastApply + 1).flatMap((r) => (r.action === "guard" ? (GUARD_SUMMARY.exec(r.summary)?.slice(1, 2) ?? []) : [])),
  );
  const changes: GuardGitChange[] = [];
  for (const key of [...keys].sort()) {
    const rollout = /^rollout:([^:]+):/.exec(key);
    if (rollout) {
      const flag = ws.flags.get(rollout[1]!);
      if (flag?.enabled) changes.push({ guard: key, file: flag.origin.file, set: { enabled: false } });
      continue;
    }
    const e = ws.experiments.get(key);
    if (e && (e.status === "running" || e.status === "paused"))
      changes.push({ guard: key, file: e.origin.file, set: { status: "stopped" } });
  }
  for (const c of changes) await writeFileAtomic(join(ws.root, c.file), withTopLevelFields(ws.files.get(c.file)!.text, c.set));
  return changes;
}

/** `exp guardrails --guards`: writeGuardChanges against the workspace's publish target (or `--env`'s). */
export function writeGuardChangesOf(ws: Workspace, environment?: string): Promise<GuardGitChange[]> {
  const { root, config } = readPublishLocation(ws.root, environment);
  return writeGuardChanges(ws, openPublishTarget(config, root, { verify: verifier, environment }));
}
