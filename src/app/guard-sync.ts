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
 * the guarded experiment's `status: stopped`, and the date of each gated rollout step a guard took,
 * so that git and the runtime agree again once the pull request is merged and applied. A change git
 * already has is skipped; the rest of each file is kept.
 */
export async function writeGuardChanges(ws: Workspace, target: PublishTarget): Promise<GuardGitChange[]> {
  const audit = parseAuditRecords(await target.auditText());
  const records = audit.slice(audit.map((r) => r.action).lastIndexOf("apply") + 1);
  const keys = new Set(records.flatMap((r) => (r.action === "guard" ? (GUARD_SUMMARY.exec(r.summary)?.slice(1, 2) ?? []) : [])));
  const edits: GuardEdit[] = [];
  for (const key of [...keys].sort()) {
    const rollout = rolloutOf(key);
    if (rollout) {
      const flag = ws.flags.get(rollout.flag);
      if (flag?.enabled) edits.push(topLevel({ guard: key, file: flag.origin.file, set: { enabled: false } }));
      continue;
    }
    const e = ws.experiments.get(key);
    if (e && (e.status === "running" || e.status === "paused"))
      edits.push(topLevel({ guard: key, file: e.origin.file, set: { status: "stopped" } }));
  }
  edits.push(...takenSteps(ws, records));
  // Several taken steps of one file are written together, each edit on the text the last one left.
  const texts = new Map<string, string>();
  for (const { change, edit } of edits) texts.set(change.file, edit(texts.get(change.file) ?? ws.files.get(change.file)!.text));
  for (const [file, text] of texts) await writeFileAtomic(join(ws.root, file), text);
  return edits.map((e) => e.change);
}

/** A change and the edit that writes it into its file's text. */
interface GuardEdit {
  change: GuardGitChange;
  edit: (text: string) => string;
}

/** The flag and rule of a rollout guard's key, `rollout:<flag>:<rule>`; undefined for an experiment's guard. */
function rolloutOf(key: string): { flag: string; rule: string } | undefined {
  const m = /^rollout:([^:]+):(.+)$/.exec(key);
  return m ? { flag: m[1]!, rule: m[2]! } : undefined;
}

function topLevel(change: GuardGitChange & { set: { enabled: false } | { status: "stopped" } }): GuardEdit {
  return { change, edit: (text) => withTopLevelFields(text, change.set) };
}

/**
 * The gated rollout steps the guards took (audit action `guard_advance`) that git still has without
 * a date: each writes the step's `at` and drops its `after_units`.
 */
function takenSteps(ws: Workspace, records: readonly { action: string; summary: string; ts: string }[]): GuardEdit[] {
  const out: GuardEdit[] = [];
  for (const r of records) {
    const m = r.action === "guard_advance" ? GUARD_ADVANCE_SUMMARY.exec(r.summary) : null;
    const key = m ? rolloutOf(m[1]!) : undefined;
    if (!m || !key) continue;
    const flag = ws.flags.get(key.flag);
    const index = flag?.rules.findIndex((x) => x.name === key.rule) ?? -1;
    const rule = flag?.rules[index];
    const step = Number(m[2]);
    if (!flag || rule?.kind !== "rollout" || rule.steps[step - 1] === undefined || rule.steps[step - 1]!.at !== undefined) continue;
    const path = ["rules", index, "rollout", "steps", step - 1];
    out.push({
      change: { guard: m[1]!, file: flag.origin.file, set: { rule: rule.name, step, at: r.ts } },
      edit: (text) =>
        withFieldsAt(text, [
          { path: [...path, "at"], value: r.ts },
          { path: [...path, "after_units"], value: undefined },
        ]),
    });
  }
  return out;
}

/** `exp guardrails --guards`: writeGuardChanges against the workspace's publish target (or `--env`'s). */
export function writeGuardChangesOf(ws: Workspace, environment?: string): Promise<GuardGitChange[]> {
  const { root, config } = readPublishLocation(ws.root, environment);
  return writeGuardChanges(ws, openPublishTarget(config, root, { verify: verifier, environment }));
}
