import { verifyRuleset } from "../compiler/ruleset/verify.js";
import { compileRuleset } from "../compiler/ruleset/compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { toDiagnosticJson, toDiagnosticReport } from "../diagnostics/json.js";
import { renderDiagnosticsText } from "../diagnostics/render.js";
import { painterFor } from "../diagnostics/style.js";
import { headCommit } from "../gitops/commit.js";
import { diffRulesets } from "../plan/diff.js";
import { detectDrift } from "../plan/drift.js";
import type { Plan } from "../plan/model.js";
import { computePlan } from "../plan/plan.js";
import { planChecks } from "../plan/checks/registry.js";
import { lastChangedFromGit } from "../plan/checks/git-history.js";
import { openPublishTarget } from "../plan/target/open.js";
import type { PublishTarget } from "../plan/target/target.js";
import type { Ruleset } from "../runtime/ruleset.js";
import type { Workspace } from "../workspace/model.js";
import { UserError } from "./errors.js";
import { powerCheck } from "../plan/power-check.js";

export interface PlanContext {
  workspace: Workspace;
  target: PublishTarget;
  published?: Ruleset;
  nextVersion: number;
  sourceCommit: string | null;
  plan: Plan;
  /** Compiles the desired ruleset for a version (apply publishes exactly this content). */
  build(version: number): Ruleset;
}

/** The verifier the publish targets use: schema + checksum. */
export function verifier(json: unknown): { ok: true } | { ok: false; message: string } {
  const v = verifyRuleset(json);
  return v.ok ? { ok: true } : { ok: false, message: v.diagnostics.map((d) => d.message).join("; ") };
}

export function openTarget(ws: Workspace): PublishTarget {
  return openPublishTarget(ws.settings.runtime.publish, ws.root, {
    verify: verifier,
    onStaleLockBroken: (o) => process.stderr.write(`note: removed a stale lock left by ${o.holder} (pid ${o.pid} on ${o.host}, since ${o.since})\n`),
  });
}

/**
 * Gathers everything a plan needs (published state, git commit and history, compiled ruleset) and
 * computes it. Shared by `exp plan`, `exp apply` and `exp github`.
 */
export async function preparePlan(ws: Workspace, now = new Date()): Promise<PlanContext> {
  const target = openTarget(ws);
  const current = await target.current();
  const published = current?.ruleset as unknown as Ruleset | undefined;
  const nextVersion = Math.max(0, ...(await target.versions())) + 1;
  const sourceCommit = await headCommit(ws.root);
  const build = (version: number): Ruleset => {
    const { ruleset, diagnostics } = compileRuleset(ws, { previous: published, version, sourceCommit, createdAt: now.toISOString() });
    failOnErrors(ws, diagnostics);
    return ruleset;
  };
  const desired = build(nextVersion);
  const records = current ? await target.audit() : [];
  const drift = detectDrift(current?.version, records, published !== undefined && diffRulesets(published, desired).length > 0);
  const files = [...ws.files.keys()];
  const lastChanged = await lastChangedFromGit(ws.root, files).catch(() => undefined);
  const plan = computePlan({
    workspace: ws,
    desired,
    published,
    checks: planChecks,
    now,
    lastChanged,
    drift,
    extra: [{ name: "power", diagnostics: powerCheck(ws, now) }],
    toJson: toDiagnosticJson,
  });
  return { workspace: ws, target, published, nextVersion, sourceCommit, plan, build };
}

function failOnErrors(ws: Workspace, diagnostics: Diagnostic[]): void {
  const report = toDiagnosticReport(diagnostics);
  if (report.ok) return;
  process.stderr.write(renderDiagnosticsText(report, (f) => ws.files.get(f), painterFor(process.stderr)));
  throw new UserError("the workspace does not compile to a ruleset; fix the errors above and run again");
}
