import { readFileSync } from "node:fs";
import type { DiagnosticJson, Severity } from "../diagnostics/diagnostic.js";
import { gitopsCodes } from "./codes.js";
import { GitOpsError } from "./gitops-error.js";

/**
 * What the GitHub commands post: the plan's (or validation's) diagnostics in the docs/cli.md JSON form,
 * its markdown rendering, and the exit code the producing command chose (1 error, 3 failed checks).
 */
export interface PlanForGitHub {
  diagnostics: DiagnosticJson[];
  markdown?: string;
  exitCode?: number;
  /** The whole saved plan, when the input was one; the planner's own renderer can format it. */
  savedPlan?: Record<string, unknown>;
}

const severities: readonly Severity[] = ["error", "warning", "info"];

function isDiagnostic(d: unknown): d is DiagnosticJson {
  if (d === null || typeof d !== "object") return false;
  const o = d as Record<string, unknown>;
  return typeof o.code === "string" && typeof o.message === "string" && severities.includes(o.severity as Severity);
}

/** Accepts the plan file shape, and also the `exp validate --format json` shape ({ok, diagnostics}). */
export function parsePlanJson(text: string, file: string): PlanForGitHub {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new GitOpsError(gitopsCodes.badPlanFile, `"${file}" is not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new GitOpsError(gitopsCodes.badPlanFile, `"${file}" must hold a JSON object with a "diagnostics" array`);
  }
  const o = parsed as Record<string, unknown>;
  const top = o.diagnostics ?? [];
  if (!Array.isArray(top)) {
    throw new GitOpsError(gitopsCodes.badPlanFile, `"diagnostics" in "${file}" must be an array`);
  }
  // A saved plan (`exp plan --out`) keeps its diagnostics per check.
  const fromChecks = Array.isArray(o.checks)
    ? (o.checks as { diagnostics?: unknown }[]).flatMap((c) => (Array.isArray(c?.diagnostics) ? (c.diagnostics as unknown[]) : []))
    : [];
  const diags = [...top, ...fromChecks];
  const bad = diags.findIndex((d) => !isDiagnostic(d));
  if (bad >= 0) {
    throw new GitOpsError(
      gitopsCodes.badPlanFile,
      `diagnostics[${bad}] in "${file}" needs "code", "severity" (error|warning|info) and "message"`,
    );
  }
  const plan: PlanForGitHub = { diagnostics: diags as DiagnosticJson[] };
  if (Array.isArray(o.changes) && typeof o.formatVersion === "number") plan.savedPlan = o;
  if (typeof o.markdown === "string") plan.markdown = o.markdown;
  if (typeof o.exitCode === "number") plan.exitCode = o.exitCode;
  else if (o.ok === false) plan.exitCode = 1;
  return plan;
}

export function readPlanFile(path: string): PlanForGitHub {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new GitOpsError(gitopsCodes.badPlanFile, `cannot read the plan file "${path}"`);
  }
  return parsePlanJson(text, path);
}

export function readBodyFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new GitOpsError(gitopsCodes.badBodyFile, `cannot read the markdown file "${path}"`);
  }
}

export type Conclusion = "success" | "failure";

/** Errors or failed checks (exit code 1 or 3) fail the check; warnings do not. */
export function conclusionOf(plan: PlanForGitHub): Conclusion {
  if (plan.diagnostics.some((d) => d.severity === "error")) return "failure";
  if (plan.exitCode === 1 || plan.exitCode === 3) return "failure";
  return "success";
}

/** The exit code `exp github check` ends with once the check is posted: docs/cli.md codes. */
export function exitCodeOf(plan: PlanForGitHub): number {
  if (plan.exitCode === 1 || plan.exitCode === 3) return plan.exitCode;
  return plan.diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
