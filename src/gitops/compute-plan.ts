import type { Diagnostic, DiagnosticJson } from "../diagnostics/diagnostic.js";
import { gitopsCodes } from "./codes.js";
import { GitOpsError } from "./gitops-error.js";
import type { PlanForGitHub } from "./plan-input.js";

type Loader = (root: string) => Promise<{ diagnostics: Diagnostic[] }>;

/**
 * The single adapter between the GitHub commands and the planner, used when neither --plan nor
 * --body-file is given. For now it runs validation only (the workspace loader); once the planner
 * exposes a function returning diagnostics and markdown, this body is the one place to change.
 */
export async function computePlanForGitHub(dir: string): Promise<PlanForGitHub> {
  const load = await findLoader();
  const { diagnostics } = await load(dir);
  const json = diagnostics.map(toJson);
  return { diagnostics: json, exitCode: json.some((d) => d.severity === "error") ? 1 : 0 };
}

async function findLoader(): Promise<Loader> {
  // The loader module is resolved at run time so this folder builds before the workspace code lands.
  for (const candidate of ["../workspace/load.js", "../workspace/loader.js", "../workspace/index.js"]) {
    try {
      const mod = (await import(candidate)) as { loadWorkspace?: Loader };
      if (typeof mod.loadWorkspace === "function") return mod.loadWorkspace;
    } catch {
      // try the next spelling
    }
  }
  throw new GitOpsError(gitopsCodes.noPlanSource.code, "this build of exp cannot compute the plan by itself; pass --plan <plan.json> or --body-file <plan.md>");
}

export function toJson(d: Diagnostic): DiagnosticJson {
  const j: DiagnosticJson = { code: d.code, severity: d.severity, message: d.message };
  if (d.span) {
    j.file = d.span.file;
    j.line = d.span.line;
    j.column = d.span.column;
    j.endLine = d.span.endLine;
    j.endColumn = d.span.endColumn;
  }
  if (d.suggestion) j.suggestion = d.suggestion;
  return j;
}
