import { join } from "node:path";
import type { Command } from "commander";
import { toDiagnosticReport } from "../diagnostics/json.js";
import { painterFor, plain, type Painter } from "../diagnostics/style.js";
import type { FileKind } from "../workspace/schema.js";
import { loadWorkspaceFrom } from "../app/load-workspace.js";
import { action } from "./run.js";
import { formatDiagnostics, parseFormat, withWorkspaceOptions, type OutputFormat, type WorkspaceOptions } from "./shared.js";

export interface FmtRun {
  exitCode: 0 | 1;
  stdout: string;
  /** Workspace-relative paths that changed (or would change with --check). */
  changed: string[];
  /** Files left alone because they have errors. */
  skipped: string[];
}

function kindOf(path: string): FileKind | undefined {
  if (path === "exp.yaml") return "exp";
  if (path === "layers.yaml") return "layers";
  const folder = path.split("/")[0];
  return ({ metrics: "metric", experiments: "experiment", flags: "flag", segments: "segment", evaluations: "evaluation" } as const)[
    folder as "metrics"
  ];
}

/** `exp fmt [--check]` without the process. A file with errors is never written. */
export async function runFmt(opts: { dir?: string; cwd?: string; check: boolean; format: OutputFormat; paint?: Painter }): Promise<FmtRun> {
  const result = await loadWorkspaceFrom(opts);
  const { formatSource } = await import("../workspace/format.js");
  const { writeFileAtomic } = await import("../fsio/atomic.js");
  const report = toDiagnosticReport(result.diagnostics);
  const broken = new Set(result.diagnostics.filter((d) => d.severity === "error" && d.span).map((d) => d.span!.file));
  const changed: string[] = [];
  const skipped: string[] = [];
  if (result.value && result.root) {
    for (const [path, file] of [...result.value.files].sort(([a], [b]) => a.localeCompare(b))) {
      const kind = kindOf(path);
      if (!kind) continue;
      if (broken.has(path)) {
        skipped.push(path);
        continue;
      }
      const formatted = formatSource(file, kind);
      if (formatted.diagnostics.length || formatted.text === file.text) continue;
      changed.push(path);
      if (!opts.check) await writeFileAtomic(join(result.root, path), formatted.text);
    }
  }
  const failed = !result.value || skipped.length > 0 || (opts.check && changed.length > 0);
  let stdout: string;
  if (opts.format === "json")
    stdout = `${JSON.stringify({ ok: !failed, check: opts.check, changed, skipped, diagnostics: report.diagnostics })}\n`;
  else {
    const lines: string[] = [];
    if (!report.ok) lines.push(formatDiagnostics(report, opts.format, result.value?.files, opts.paint ?? plain).trimEnd());
    const verb = opts.check ? "would reformat" : "reformatted";
    for (const p of changed) lines.push(`${verb} ${p}`);
    for (const p of skipped) lines.push(`skipped ${p} (fix its errors first)`);
    if (result.value)
      lines.push(
        changed.length
          ? `${changed.length} file${changed.length === 1 ? "" : "s"} ${opts.check ? "would be reformatted" : "reformatted"}`
          : "all files are formatted",
      );
    stdout = `${lines.join("\n")}\n`;
  }
  return { exitCode: failed ? 1 : 0, stdout, changed, skipped };
}

export function registerFmt(program: Command): void {
  withWorkspaceOptions(
    program
      .command("fmt")
      .description("canonical YAML formatting and expression pretty-printing (idempotent; comments are kept)")
      .option("--check", "change nothing; exit 1 listing the files that would change"),
  ).action(
    action(async (opts: WorkspaceOptions & { check?: boolean }) => {
      const format = parseFormat(opts.format);
      const r = await runFmt({ dir: opts.dir, check: opts.check ?? false, format, paint: painterFor(process.stdout) });
      process.stdout.write(r.stdout);
      return r.exitCode;
    }),
  );
}
