import { resolve } from "node:path";
import type { Command } from "commander";
import { didYouMean } from "../diagnostics/suggest.js";
import { gitopsCodes } from "../gitops/codes.js";
import type { WarehouseKind } from "../gitops/scaffold.js";
import { WAREHOUSE_KINDS, checkProjectName, displayPath, planScaffold, projectNameFrom, writeScaffold } from "../gitops/scaffold.js";
import { ExpError } from "../diagnostics/errors.js";
import { action } from "./run.js";

interface InitOptions {
  project?: string;
  warehouse?: string;
  yes?: boolean;
  force?: boolean;
}

function parseWarehouse(value: string): WarehouseKind {
  if ((WAREHOUSE_KINDS as readonly string[]).includes(value)) return value as WarehouseKind;
  const hint = didYouMean(value, WAREHOUSE_KINDS);
  throw ExpError.of(gitopsCodes.initBadOption, `--warehouse "${value}" is not supported; use ${WAREHOUSE_KINDS.join(" or ")}`, {
    suggestion: hint,
  });
}

async function runInit(dirArg: string | undefined, opts: InitOptions): Promise<number> {
  const dir = resolve(dirArg ?? ".");
  let project = opts.project ?? projectNameFrom(dir);
  let warehouse = parseWarehouse(opts.warehouse ?? "duckdb");
  const interactive = !opts.yes && Boolean(process.stdin.isTTY && process.stdout.isTTY) && (!opts.project || !opts.warehouse);
  if (interactive) {
    // Loaded only on a TTY so non-interactive runs (CI, scripts) never start React.
    const { askInitAnswers } = await import("../ui/ask-init.js");
    const answers = await askInitAnswers({ project, warehouse }, checkProjectName);
    if (!answers) {
      process.stderr.write("exp init cancelled; nothing was written\n");
      return 1;
    }
    ({ project, warehouse } = answers);
  }
  const bad = checkProjectName(project);
  if (bad) throw ExpError.of(gitopsCodes.initBadOption, bad, { suggestion: "pass --project NAME" });

  const result = await writeScaffold(dir, planScaffold({ project, warehouse }), Boolean(opts.force));
  const where = displayPath(dir);
  for (const f of result.written) process.stdout.write(`+ ${f}\n`);
  for (const f of result.skipped) {
    process.stderr.write(`warning: kept the existing file "${f}" unchanged [${gitopsCodes.initSkipped.code}]\n`);
  }
  process.stdout.write(
    `\nCreated workspace "${project}" in ${where} (${result.written.length} file(s) written, ${result.skipped.length} kept).\n` +
      `Next: npm install --save-dev exp-toolchain, then exp validate --dir ${where}\n`,
  );
  return 0;
}

/** Registers `exp init [dir]`. */
export function registerInit(program: Command): void {
  program
    .command("init [dir]")
    .description("scaffold a workspace: example files, .gitignore, schema lines and .github/workflows/")
    .option("--project <name>", "project name (default: the folder name)")
    .option("--warehouse <kind>", "warehouse type: duckdb or postgres (default: duckdb)")
    .option("-y, --yes", "ask nothing; use flags and defaults")
    .option("--force", "write into a non-empty folder, adding only files that do not exist")
    .action(action((dir: string | undefined, opts: InitOptions) => runInit(dir, opts)));
}
