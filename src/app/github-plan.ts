import { toDiagnosticJson as toJson } from "../diagnostics/json.js";
import { gitopsCodes } from "../gitops/codes.js";
import { headCommit } from "../gitops/commit.js";
import { GitOpsError } from "../gitops/gitops-error.js";
import type { PlanForGitHub } from "../gitops/plan-input.js";
import { preparePlan } from "../plan/prepare.js";
import { renderPlanMarkdown } from "../plan/render-markdown.js";
import { resolveEnvironment } from "../workspace/environment.js";
import { loadWorkspace } from "../workspace/load.js";
import { findWorkspaceRoot } from "../workspace/root.js";

/**
 * The plan `exp github comment|check` post when neither --plan nor --body-file is given: validates,
 * then plans the workspace exactly as `exp plan` does. Passed to src/gitops/post-plan.ts, which
 * only posts.
 */
export async function computePlanForGitHub(dir: string, now: Date, environment?: string): Promise<PlanForGitHub> {
  const root = findWorkspaceRoot(dir);
  if (!root)
    throw new GitOpsError(
      gitopsCodes.noPlanSource,
      `no exp.yaml found in "${dir}" or above; pass --dir, --plan <plan.json> or --body-file <plan.md>`,
    );
  const loaded = await loadWorkspace(root);
  const diagnostics = loaded.diagnostics.map(toJson);
  if (!loaded.value || diagnostics.some((d) => d.severity === "error")) return { diagnostics, exitCode: 1 };
  const resolved = resolveEnvironment(loaded.value, environment);
  if (!resolved.value) return { diagnostics: [...diagnostics, ...resolved.diagnostics.map(toJson)], exitCode: 1 };
  const r = await preparePlan(resolved.value, { now, sourceCommit: await headCommit(root) });
  if (!r.value) return { diagnostics: [...diagnostics, ...r.diagnostics.map(toJson)], exitCode: 1 };
  const plan = r.value.plan;
  return {
    diagnostics: [...diagnostics, ...plan.checks.flatMap((c) => c.diagnostics)],
    markdown: renderPlanMarkdown(plan),
    exitCode: plan.exitCode,
  };
}
