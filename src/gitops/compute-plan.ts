import { toDiagnosticJson as toJson } from "../diagnostics/json.js";
import { gitopsCodes } from "./codes.js";
import { GitOpsError } from "./gitops-error.js";
import type { PlanForGitHub } from "./plan-input.js";

/**
 * The single adapter between the GitHub commands and the planner, used when neither --plan nor
 * --body-file is given: validates, then plans the workspace exactly as `exp plan` does.
 */
export async function computePlanForGitHub(dir: string, now: Date): Promise<PlanForGitHub> {
  const [{ loadWorkspace }, { findWorkspaceRoot }, { preparePlan }, { renderPlanMarkdown }, { headCommit }] = await Promise.all([
    import("../workspace/load.js"),
    import("../workspace/root.js"),
    import("../plan/prepare.js"),
    import("../plan/render-markdown.js"),
    import("./commit.js"),
  ]);
  const root = findWorkspaceRoot(dir);
  if (!root)
    throw new GitOpsError(
      gitopsCodes.noPlanSource.code,
      `no exp.yaml found in "${dir}" or above; pass --dir, --plan <plan.json> or --body-file <plan.md>`,
    );
  const loaded = await loadWorkspace(root);
  const diagnostics = loaded.diagnostics.map(toJson);
  if (!loaded.workspace || diagnostics.some((d) => d.severity === "error")) return { diagnostics, exitCode: 1 };
  const r = await preparePlan(loaded.workspace, { now, sourceCommit: await headCommit(root) });
  if (!r.prepared) return { diagnostics: [...diagnostics, ...r.diagnostics.map(toJson)], exitCode: 1 };
  const plan = r.prepared.plan;
  return {
    diagnostics: [...diagnostics, ...plan.checks.flatMap((c) => c.diagnostics)],
    markdown: renderPlanMarkdown(plan),
    exitCode: plan.exitCode,
  };
}
