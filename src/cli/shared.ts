import type { LockOwner } from "../plan/target/target.js";
import { dirname } from "node:path";
import type { Command } from "commander";
import { writeFileAtomic } from "../fsio/atomic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { ExpError, InternalError } from "../diagnostics/errors.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { toDiagnosticReport, type DiagnosticReport } from "../diagnostics/json.js";
import { renderDiagnosticsMarkdown, renderDiagnosticsText } from "../diagnostics/render.js";
import { painterFor, type Painter } from "../diagnostics/style.js";
import { resolveEnvironment } from "../workspace/environment.js";
import type { Workspace } from "../workspace/model.js";
import type { SourceFile } from "../diagnostics/source.js";
import { loadWorkspaceFrom } from "../app/load-workspace.js";
import { CLI_CODES } from "./codes.js";

/** Option parsing and output plumbing shared by the commands (no command of its own). */

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

/** Adds `--env <name>`: the exp.yaml environment whose published state the command works on. */
export function withEnvironmentOption(cmd: Command): Command {
  return cmd.option("--env <name>", "the environment of exp.yaml `environments:` (required when it declares any)");
}

/** `loadWorkspaceOrExit`, then the workspace as the `--env` environment sees it (src/workspace/environment.ts). */
export async function loadEnvironmentOrExit(opts: WorkspaceOptions & { env?: string }): Promise<Workspace> {
  const r = resolveEnvironment(await loadWorkspaceOrExit(opts), opts.env);
  if (r.value) return r.value;
  throw new ExpError(r.diagnostics[0]!);
}

/** `--format`, checked against the formats a command offers. */
export function parseFormat<F extends string = OutputFormat>(
  format: string | undefined,
  formats: readonly F[] = OUTPUT_FORMATS as never,
): F {
  const f = format ?? "text";
  if ((formats as readonly string[]).includes(f)) return f as F;
  const all = formats.length === 2 ? `${formats[0]} or ${formats[1]}` : `${formats.slice(0, -1).join(", ")} or ${formats.at(-1)}`;
  throw ExpError.of(CLI_CODES.badFormat, `unknown format "${f}"`, { suggestion: didYouMean(f, formats) ?? `use ${all}` });
}

/** A bad option or argument value: the one-line error every command uses for it. */
export function badOption(message: string, suggestion?: string): ExpError {
  return ExpError.of(CLI_CODES.badOption, message, { suggestion });
}

/** A positive whole-number option (`--to`, `--lock-timeout`) or a clean error naming the flag. */
export function parsePositive(text: string, flag: string): number {
  const n = Number(text);
  if (!/^[0-9]+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw badOption(`${flag} needs a positive whole number, not "${text}"`);
  return n;
}

/** Tells the user that a publisher's lock of a process no longer running was removed. */
export function noteStaleLock(owner: LockOwner): void {
  process.stderr.write(
    `note: removed a stale lock of ${owner.holder} (pid ${owner.pid} on host ${owner.host}, since ${owner.since}); that process is no longer running\n`,
  );
}

/** `--as-of` and `--at`: an ISO-8601 time or a clean error. */
export function parseInstant(flag: string, text: string | undefined, example = "2026-12-15T00:00:00Z"): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw badOption(`${flag} "${text}" is not an ISO-8601 time`, `use e.g. ${flag} ${example}`);
  return ms;
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

/** Diagnostics as text with source snippets, for stderr; empty when there are none. */
export function diagnosticsText(
  ds: readonly Diagnostic[],
  files: Map<string, SourceFile> | undefined,
  stream: { isTTY?: boolean },
): string {
  return ds.length ? formatDiagnostics(toDiagnosticReport(ds), "text", files, painterFor(stream)) : "";
}

/**
 * The value of a use case's result, or its failure: the diagnostics that led to it go to stderr with
 * snippets, and its own closing error (the last diagnostic) is thrown for the one printer in run.ts.
 * On success the diagnostics are the caller's to show or not.
 */
export function valueOrFail<T>(r: { value?: T; diagnostics: Diagnostic[] }, files?: Map<string, SourceFile>): T {
  if (r.value !== undefined) return r.value;
  const last = r.diagnostics.at(-1);
  if (!last) throw new InternalError("a use case failed without a diagnostic");
  process.stderr.write(diagnosticsText(r.diagnostics.slice(0, -1), files, process.stderr));
  throw new ExpError(last);
}

/**
 * For commands that need a sound workspace: loads it, prints any diagnostics to stderr (stdout stays
 * free for the command's own output), and returns the workspace, or fails with exit code 1 on errors.
 */
export async function loadWorkspaceOrExit(
  opts: WorkspaceOptions,
  io: { stderr: NodeJS.WritableStream & { isTTY?: boolean } } = { stderr: process.stderr },
): Promise<Workspace> {
  const result = await loadWorkspaceFrom({ dir: opts.dir });
  const report = toDiagnosticReport(result.diagnostics);
  if (report.diagnostics.length) io.stderr.write(formatDiagnostics(report, "text", result.value?.files, painterFor(io.stderr)));
  if (!report.ok || !result.value) {
    const n = report.diagnostics.filter((d) => d.severity === "error").length;
    throw ExpError.of(
      CLI_CODES.workspaceInvalid,
      `the workspace has ${n} error${n === 1 ? "" : "s"}; fix ${n === 1 ? "it" : "them"} and run again`,
      {
        suggestion: "run `exp validate` for the full list",
      },
    );
  }
  return result.value;
}

/** One line a diagnostic on stderr, for commands whose stdout is a document (`exp assign`, `exp export`). */
export function printCompactDiagnostics(ds: readonly Diagnostic[]): void {
  for (const d of ds) process.stderr.write(`${d.severity}[${d.code}]: ${d.message}\n`);
}

/** Writes an `--out` file atomically; a folder that is missing or not writable is the user's to fix. */
export async function writeOutputFile(path: string, text: string, shownAs = path): Promise<void> {
  try {
    await writeFileAtomic(path, text);
  } catch (err) {
    throw ExpError.of(
      CLI_CODES.cannotWrite,
      `cannot write "${shownAs}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      {
        suggestion: `check that ${dirname(path)} exists and is writable`,
        cause: err,
      },
    );
  }
}
