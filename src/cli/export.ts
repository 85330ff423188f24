import { resolve } from "node:path";
import type { Command } from "commander";
import { APP_CODES } from "../app/codes.js";
import { EXPORT_TARGETS, exportRuleset, type ExportTarget } from "../app/export-ruleset.js";
import { diagnostic } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { CLI_CODES } from "./codes.js";
import { action } from "./run.js";
import { badOption, loadEnvironmentOrExit, printCompactDiagnostics, withEnvironmentOption, writeOutputFile } from "./shared.js";

interface ExportOptions {
  to?: string;
  format?: string;
  out?: string;
  desired?: boolean;
  dir?: string;
  env?: string;
}

/** `--to`, or the deprecated `--format flagd|ruleset` it replaces (with a warning). */
function exportTarget(opts: ExportOptions): ExportTarget {
  if (opts.to !== undefined && opts.format !== undefined && opts.to !== opts.format)
    throw badOption(`--to "${opts.to}" and --format "${opts.format}" disagree`, "pass only --to");
  const given = opts.to ?? opts.format;
  if (given === undefined)
    throw badOption("exp export needs --to flagd or --to ruleset", "for example: exp export --to flagd --out flags.json");
  if (!(EXPORT_TARGETS as readonly string[]).includes(given))
    throw badOption(`unknown export target "${given}"`, didYouMean(given, EXPORT_TARGETS) ?? "use flagd or ruleset");
  if (opts.to === undefined)
    printCompactDiagnostics([diagnostic(CLI_CODES.deprecatedOption, `--format ${given} is deprecated for exp export; use --to ${given}`)]);
  return given as ExportTarget;
}

export function registerExport(program: Command): void {
  withEnvironmentOption(program.command("export"))
    .description("write the ruleset, or an OpenFeature flagd flag-definition file that evaluates identically")
    .option("--to <target>", "flagd | ruleset")
    .option("--format <target>", "deprecated: use --to")
    .option("--out <file>", "write to this file (atomically) instead of stdout")
    .option("--desired", "export the ruleset compiled from the workspace, not the published one")
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward containing exp.yaml)")
    .action(
      action(async (opts: ExportOptions) => {
        const to = exportTarget(opts);
        const ws = await loadEnvironmentOrExit({ dir: opts.dir, env: opts.env });
        const r = await exportRuleset(ws, { to, desired: opts.desired === true });
        for (const note of r.notes) process.stderr.write(`${note}\n`);
        const own = r.diagnostics.at(-1)?.code === APP_CODES.flagdMismatch.code ? r.diagnostics.at(-1) : undefined;
        printCompactDiagnostics(own ? r.diagnostics.slice(0, -1) : r.diagnostics);
        if (own) throw new ExpError(own);
        if (!r.value) return 1;
        if (opts.out === undefined) process.stdout.write(r.value.text);
        else {
          await writeOutputFile(resolve(process.cwd(), opts.out), r.value.text, opts.out);
        }
        return 0;
      }),
    );
}
