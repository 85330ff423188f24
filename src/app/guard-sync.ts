import { writeFileAtomic } from "../fsio/atomic.js";
import { join } from "node:path";
import { parseAuditRecords } from "../plan/audit-verify.js";
import { verifier } from "../plan/prepare.js";
import { readPublishLocation } from "../plan/target/config.js";
import { openPublishTarget } from "../plan/target/open.js";
import { GUARD_ADVANCE_SUMMARY } from "../plan/guard-advance.js";
import { GUARD_SUMMARY } from "../plan/guard-break.js";
import type { PublishTarget } from "../plan/target/target.js";
import type { Workspace } from "../workspace/model.js";
import { withFieldsAt, withTopLevelFields } from "../workspace/set-fields.js";

/** One change a guard breach asks of git: what the guardrail workflow's pull request writes. */
export interface GuardGitChange {
  guard: string;
  /** The file changed, relative to the workspace. */
  file: string;
  /**
   * The flag of a rolled-back rollout gets `enabled: false`; an experiment `status: stopped`; a
   * rollout step a guard took its `at` (the audit record's time) in place of `after_units`.
   */
  set: { enabled: false } | { status: "stopped" } | { rule: string; step: number; at: string };
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
  changes.push(...takenSteps(ws, records.slice(lastApply + 1)));
  // Several taken steps of one file are written together, each edit on the text the last one left.
  const texts = new Map<string, string>();
  for (const c of changes) {
    const text = texts.get(c.file) ?? ws.files.get(c.file)!.text;
    texts.set(c.file, "rule" in c.set ? withStepDate(ws, c.guard, text, c.set) : withTopLevelFields(text, c.set));
  }
  for (const [file, text] of texts) await writeFileAtomic(join(ws.root, file), text);
  return changes;
}

/** The gated rollout steps the guards took (audit action `guard_advance`) that git still has without a date. */
function takenSteps(ws: Workspace, records: readonly { action: string; summary: string; ts: string }[]): GuardGitChange[] {
  const out: GuardGitChange[] = [];
  for (const r of records) {
    const m = r.action === "guard_advance" ? GUARD_ADVANCE_SUMMARY.exec(r.summary) : null;
    const key = m && /^rollout:([^:]+):(.+)$/.exec(m[1]!);
    if (!m || !key) continue;
    const flag = ws.flags.get(key[1]!);
    const rule = flag?.rules.find((x) => x.name === key[2]);
    const step = Number(m[2]);
    if (!flag || rule?.kind !== "rollout" || rule.steps[step - 1]?.at !== undefined || rule.steps[step - 1] === undefined) continue;
    out.push({ guard: m[1]!, file: flag.origin.file, set: { rule: rule.name, step, at: r.ts } });
  }
  return out;
}

/** `text` of a flag file with the taken step's `at` written and its `after_units` dropped. */
function withStepDate(ws: Workspace, guard: string, text: string, set: { rule: string; step: number; at: string }): string {
  const flag = ws.flags.get(/^rollout:([^:]+):/.exec(guard)![1]!)!;
  const path = ["rules", flag.rules.findIndex((x) => x.name === set.rule), "rollout", "steps", set.step - 1];
  return withFieldsAt(text, [
    { path: [...path, "at"], value: set.at },
    { path: [...path, "after_units"], value: undefined },
  ]);
}

/** `exp guardrails --guards`: writeGuardChanges against the workspace's publish target (or `--env`'s). */
export function writeGuardChangesOf(ws: Workspace, environment?: string): Promise<GuardGitChange[]> {
  const { root, config } = readPublishLocation(ws.root, environment);
  return writeGuardChanges(ws, openPublishTarget(config, root, { verify: verifier, environment }));
}
