import { closeSync, fsyncSync, openSync, renameSync, writeSync, unlinkSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { didYouMean } from "../diagnostics/suggest.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { exportFlagd } from "../compiler/ruleset/flagd.js";
import { UserError } from "./errors.js";
import { action } from "./run.js";
import { loadWorkspaceOrExit } from "./shared.js";
import { rulesetFor } from "./assign.js";

const FORMATS = ["flagd", "ruleset"] as const;

/** Writes through a temp file in the same folder, fsynced, then renamed: readers never see half a file. */
export function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
}

function printDiagnostics(ds: Diagnostic[]): void {
  for (const d of ds) process.stderr.write(`${d.severity}[${d.code}]: ${d.message}\n`);
}

export function registerExport(program: Command): void {
  program
    .command("export")
    .description("write the ruleset, or an OpenFeature flagd flag-definition file that evaluates identically")
    .requiredOption("--format <format>", "flagd | ruleset")
    .option("--out <file>", "write to this file (atomically) instead of stdout")
    .option("--desired", "export the ruleset compiled from the workspace, not the published one")
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward containing exp.yaml)")
    .action(
      action(async (opts: { format: string; out?: string; desired?: boolean; dir?: string }) => {
        if (!(FORMATS as readonly string[]).includes(opts.format))
          throw new UserError(`unknown export format "${opts.format}"`, 1, didYouMean(opts.format, FORMATS) ?? "use flagd or ruleset");
        const ws = await loadWorkspaceOrExit({ dir: opts.dir });
        const { ruleset, diagnostics } = await rulesetFor(ws, opts.desired === true, (l) => process.stderr.write(`${l}\n`));
        printDiagnostics(diagnostics);
        if (hasErrors(diagnostics)) return 1;
        let document: unknown = ruleset;
        if (opts.format === "flagd") {
          const exported = exportFlagd(ruleset);
          printDiagnostics(exported.diagnostics);
          if (hasErrors(exported.diagnostics)) {
            process.stderr.write("error: the flagd export would not evaluate like the exp runtime; nothing was written\n");
            return 1;
          }
          document = exported.document;
        }
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (opts.out === undefined) process.stdout.write(text);
        else {
          const path = resolve(process.cwd(), opts.out);
          try {
            writeAtomically(path, text);
          } catch (err) {
            throw new UserError(
              `cannot write "${opts.out}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
              1,
              `check that ${dirname(path)} exists and is writable`,
            );
          }
        }
        return 0;
      }),
    );
}
