import { diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { headCommit } from "../gitops/commit.js";
import { openTarget, preparePlan, type PreparedPlan } from "../plan/prepare.js";
import type { LockOwner } from "../plan/target/target.js";
import type { Workspace } from "../workspace/model.js";
import { APP_CODES } from "./codes.js";

/**
 * The plan of the workspace against its publish target at `now`, with the source commit from git:
 * what `exp plan`, `exp apply` and the demo show and publish. No value when the workspace does not
 * compile (the compiler's errors, then this use case's own).
 */
export async function planWorkspace(
  ws: Workspace,
  o: { now: Date; onStaleLockBroken?: (o: LockOwner) => void },
): Promise<Result<PreparedPlan>> {
  const r = await preparePlan(ws, { now: o.now, sourceCommit: await headCommit(ws.root), target: openTarget(ws, o.onStaleLockBroken) });
  if (r.value) return r;
  return {
    diagnostics: [
      ...r.diagnostics,
      diagnostic(APP_CODES.workspaceNotCompiling, "the workspace does not compile to a ruleset; fix the errors above and run again"),
    ],
  };
}
