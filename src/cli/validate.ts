import type { Command } from "commander";
import { toDiagnosticReport } from "../diagnostics/json.js";
import { painterFor, type Painter, plain } from "../diagnostics/style.js";
import { loadWorkspaceFrom } from "../app/load-workspace.js";
import { unitIdKey } from "../app/unit-id-key.js";
import { action } from "./run.js";
import { formatDiagnostics, parseFormat, withWorkspaceOptions, type OutputFormat, type WorkspaceOptions } from "./shared.js";

export interface ValidateRun {
  exitCode: 0 | 1;
  stdout: string;
}

/** `exp validate` without the process: what it prints and its exit code (warnings do not fail). */
export async function runValidate(opts: {
  dir?: string;
  cwd?: string;
  format: OutputFormat;
  paint?: Painter;
  env?: NodeJS.ProcessEnv;
}): Promise<ValidateRun> {
  const result = await loadWorkspaceFrom(opts);
  // A server started from this workspace would refuse to run without the unit-id secret: say so here first.
  const privacy = result.value ? unitIdKey(result.value.settings, opts.env).diagnostics : [];
  const report = toDiagnosticReport([...result.diagnostics, ...privacy]);
  let stdout = formatDiagnostics(report, opts.format, result.value?.files, opts.paint ?? plain);
  if (opts.format === "text" && report.ok && result.value) {
    const w = result.value;
    const counts = `${w.experiments.size} experiments, ${w.metrics.size} metrics, ${w.flags.size} flags, ${w.segments.size} segments`;
    stdout += `${stdout ? "\n" : ""}workspace "${w.settings.project}" is valid (${counts})\n`;
  }
  return { exitCode: report.ok ? 0 : 1, stdout };
}

export function registerValidate(program: Command): void {
  withWorkspaceOptions(
    program.command("validate").description("load, schema-check, type-check and cross-check the workspace; print diagnostics"),
  ).action(
    action(async (opts: WorkspaceOptions) => {
      const format = parseFormat(opts.format);
      const r = await runValidate({ dir: opts.dir, format, paint: painterFor(process.stdout) });
      process.stdout.write(r.stdout);
      return r.exitCode;
    }),
  );
}
