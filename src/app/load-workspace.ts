import { resolve } from "node:path";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { WorkspaceCodes } from "../workspace/codes.js";
import type { LoadResult } from "../workspace/load.js";
import { findWorkspaceRoot } from "../workspace/root.js";

/** `dir` as given (must hold exp.yaml), else the nearest folder upward from `cwd` that holds exp.yaml. */
export function locateWorkspace(dir: string | undefined, cwd: string = process.cwd()): { root?: string; diagnostics: Diagnostic[] } {
  const root = dir !== undefined ? resolve(cwd, dir) : findWorkspaceRoot(cwd);
  if (root !== undefined) return { root, diagnostics: [] };
  return {
    diagnostics: [
      diagnostic(
        WorkspaceCodes.noWorkspace,
        `no exp.yaml found in "${cwd}" or any folder above it; run "exp init" or pass --dir <workspace>`,
      ),
    ],
  };
}

/** Finds and loads the workspace: the core of `exp validate`, of every command that reads one, and of the demo. */
export async function loadWorkspaceFrom(opts: { dir?: string; cwd?: string }): Promise<LoadResult & { root?: string }> {
  const located = locateWorkspace(opts.dir, opts.cwd);
  if (!located.root) return { diagnostics: located.diagnostics };
  // Loaded on demand: YAML, ajv and the expression parser would otherwise slow down every command's start (exp --version).
  const { loadWorkspace } = await import("../workspace/load.js");
  return { root: located.root, ...(await loadWorkspace(located.root)) };
}
