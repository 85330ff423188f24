import { resolve } from "node:path";
import type { Command } from "commander";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { toDiagnosticReport, type DiagnosticReport } from "../diagnostics/json.js";
import { renderDiagnosticsMarkdown, renderDiagnosticsText } from "../diagnostics/render.js";
import { painterFor, type Painter } from "../diagnostics/style.js";
import { WorkspaceCodes } from "../workspace/codes.js";
import type { LoadResult } from "../workspace/load.js";
import type { Workspace } from "../workspace/model.js";
import { findWorkspaceRoot } from "../workspace/root.js";
import type { SourceFile } from "../diagnostics/source.js";
import { UserError } from "./errors.js";

export type OutputFormat = "text" | "json" | "markdown";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "markdown"];

/** The options every workspace command takes. */
export interface WorkspaceOptions {
  dir?: string;
  format?: string;
}

/** Adds `--dir <workspace>` and `--format text|json|markdown` to a command. */
export function withWorkspaceOptions(cmd: Command): Command {
  return cmd
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward containing exp.yaml)")
    .option("--format <format>", "output format: text | json | markdown", "text");
}

export function parseFormat(format: string | undefined): OutputFormat {
  const f = format ?? "text";
  if ((OUTPUT_FORMATS as readonly string[]).includes(f)) return f as OutputFormat;
  throw new UserError(`unknown format "${f}"`, 1, didYouMean(f, OUTPUT_FORMATS) ?? "use text, json or markdown");
}

/** `--dir` as given (must hold exp.yaml), else the nearest folder upward from cwd that holds exp.yaml. */
export function locateWorkspace(dir: string | undefined, cwd: string = process.cwd()): { root?: string; diagnostics: Diagnostic[] } {
  const root = dir !== undefined ? resolve(cwd, dir) : findWorkspaceRoot(cwd);
  if (root !== undefined) return { root, diagnostics: [] };
  return {
    diagnostics: [
      {
        code: WorkspaceCodes.noWorkspace.code,
        severity: "error",
        message: `no exp.yaml found in "${cwd}" or any folder above it; run "exp init" or pass --dir <workspace>`,
      },
    ],
  };
}

/** Finds and loads the workspace: the in-process core of `exp validate` and of every command that reads one. */
export async function loadFromOptions(opts: { dir?: string; cwd?: string }): Promise<LoadResult & { root?: string }> {
  const located = locateWorkspace(opts.dir, opts.cwd);
  if (!located.root) return { diagnostics: located.diagnostics };
  // Loaded on demand: YAML, ajv and the expression parser would otherwise slow down every command's start (exp --version).
  const { loadWorkspace } = await import("../workspace/load.js");
  return { root: located.root, ...(await loadWorkspace(located.root)) };
}

/** Renders diagnostics in the chosen format (text is rendered from the JSON form). */
export function formatDiagnostics(
  report: DiagnosticReport,
  format: OutputFormat,
  files: Map<string, SourceFile> | undefined,
  paint: Painter,
): string {
  if (format === "json") return `${JSON.stringify(report)}\n`;
  if (format === "markdown") return renderDiagnosticsMarkdown(report);
  return renderDiagnosticsText(report, (f) => files?.get(f), paint);
}

/**
 * For commands that need a sound workspace: loads it, prints any diagnostics to stderr (stdout stays
 * free for the command's own output), and returns the workspace, or fails with exit code 1 on errors.
 */
export async function loadWorkspaceOrExit(
  opts: WorkspaceOptions,
  io: { stderr: NodeJS.WritableStream & { isTTY?: boolean } } = { stderr: process.stderr },
): Promise<Workspace> {
  const result = await loadFromOptions({ dir: opts.dir });
  const report = toDiagnosticReport(result.diagnostics);
  if (report.diagnostics.length) io.stderr.write(formatDiagnostics(report, "text", result.workspace?.files, painterFor(io.stderr)));
  if (!report.ok || !result.workspace) {
    const n = report.diagnostics.filter((d) => d.severity === "error").length;
    throw new UserError(
      `the workspace has ${n} error${n === 1 ? "" : "s"}; fix ${n === 1 ? "it" : "them"} and run again`,
      1,
      "run `exp validate` for the full list",
    );
  }
  return result.workspace;
}
