import { compileRuleset } from "../compiler/ruleset/compile.js";
import { verifyRuleset } from "../ruleset/verify.js";
import type { Result } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { toDiagnosticJson } from "../diagnostics/json.js";
import type { Ruleset } from "../ruleset/types.js";
import type { Workspace } from "../workspace/model.js";
import { lastChangedFromGit } from "./checks/git-history.js";
import { planChecks } from "./checks/registry.js";
import type { Plan } from "./model.js";
import { computePlan } from "./plan.js";
import { powerCheck } from "./power-check.js";
import { openPublishTarget } from "./target/open.js";
import type { LockOwner, PublishTarget } from "./target/target.js";

export interface PreparedPlan {
  /** The workspace root the plan was made from. */
  root: string;
  target: PublishTarget;
  published?: Ruleset;
  plan: Plan;
  /** Compiles the desired ruleset for a version (apply publishes exactly this content). */
  build(version: number): Ruleset;
}

/** The verifier the publish targets use: schema, checksum and references. */
export function verifier(json: unknown): { ok: true } | { ok: false; message: string } {
  const v = verifyRuleset(json);
  return v.value ? { ok: true } : { ok: false, message: v.diagnostics.map((d) => d.message).join("; ") };
}

export function openTarget(ws: Workspace, onStaleLockBroken?: (o: LockOwner) => void): PublishTarget {
  return openPublishTarget(ws.settings.runtime.publish, ws.root, { verify: verifier, onStaleLockBroken, environment: ws.environment });
}

/**
 * Gathers what a plan needs (published state, git history, the compiled ruleset) and computes it.
 * Shared by `exp plan`, `exp apply`, `exp github` and the demo. Compile errors come back as
 * diagnostics (the workspace cannot be planned), not as a plan.
 */
export async function preparePlan(
  ws: Workspace,
  o: { now?: Date; sourceCommit: string | null; target?: PublishTarget },
): Promise<Result<PreparedPlan>> {
  const now = o.now ?? new Date();
  const target = o.target ?? openTarget(ws);
  const current = await target.current();
  const published = current?.ruleset;
  const nextVersion = Math.max(0, ...(await target.versions())) + 1;
  const compile = (version: number) =>
    compileRuleset(ws, { previous: published, version, sourceCommit: o.sourceCommit, createdAt: now.toISOString() });
  const first = compile(nextVersion);
  if (hasErrors(first.diagnostics)) return { diagnostics: first.diagnostics };
  const desired = first.value;
  const audit = current ? await target.audit() : [];
  const lastChanged = await lastChangedFromGit(ws.root, [...ws.files.keys()], now).catch(() => undefined);
  const plan = computePlan({
    workspace: ws,
    desired,
    published,
    checks: planChecks,
    now,
    lastChanged,
    audit,
    extra: [{ name: "power", diagnostics: powerCheck(ws, now) }],
    toJson: toDiagnosticJson,
  });
  // Apply publishes under the lock taken before planning, so it usually asks for the version planned.
  const build = (version: number): Ruleset => {
    if (version === nextVersion) return desired;
    const r = compile(version);
    if (hasErrors(r.diagnostics)) throw new Error("the workspace compiled once and not again");
    return r.value;
  };
  return { value: { root: ws.root, target, published, plan, build }, diagnostics: first.diagnostics };
}
