import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { didYouMean } from "../diagnostics/suggest.js";
import { gitopsCodes } from "../gitops/codes.js";
import type { WarehouseKind } from "../gitops/scaffold.js";
import {
  PACKAGE_NAME,
  WAREHOUSE_KINDS,
  checkProjectName,
  displayPath,
  packageManifest,
  planScaffold,
  projectNameFrom,
  writeScaffold,
} from "../gitops/scaffold.js";
import { placeScaffold, posixRelative } from "../gitops/scaffold-place.js";
import { findInstallSpec, specFor, unreachableFromCheckout } from "../gitops/install-spec.js";
import { packageRoot } from "../fsio/package-assets.js";
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

  const place = placeScaffold(dir);
  const options = {
    project,
    warehouse,
    expDir: posixRelative(place.packageDir, place.workspaceDir),
    packagePath: posixRelative(place.workspaceDir, place.packageDir),
  };
  const files = planScaffold(options, posixRelative(place.repoRoot, place.packageDir));
  const install = findInstallSpec(packageRoot());
  const spec = specFor(place.packageDir, install);
  if (place.packageListsExp === undefined) files.push(packageManifest(options, spec, ownOverrides()));
  const result = await writeScaffold(dir, files, Boolean(opts.force), { repository: place.repoRoot, package: place.packageDir });
  for (const f of result.written) process.stdout.write(`+ ${f}\n`);
  const warn = (message: string) => process.stderr.write(`warning: ${message} [${gitopsCodes.initSkipped.code}]\n`);
  for (const f of result.skipped) warn(`kept the existing file "${f}" unchanged`);
  if (place.packageListsExp === false)
    warn(
      `"${displayPath(join(place.packageDir, "package.json"))}" does not list ${PACKAGE_NAME}; add it with "npm install --save-dev ${spec}" so that npx exp and the workflows use it`,
    );
  if (place.packageListsExp !== true && unreachableFromCheckout(install, place.repoRoot))
    warn(
      `the workflows run "npm ci" on a clean checkout, which cannot reach "${spec}"; copy the tarball into the repository (e.g. vendor/) and install it from there, or install ${PACKAGE_NAME} from a git URL (docs/install.md)`,
    );
  process.stdout.write(
    `\nCreated workspace "${project}" in ${displayPath(dir)} (${result.written.length} file(s) written, ${result.skipped.length} kept).\n`,
  );
  process.stdout.write(`Next: ${nextSteps(place, place.packageListsExp === undefined)}\n`);
  return 0;
}

function nextSteps(place: ReturnType<typeof placeScaffold>, wrotePackage: boolean): string {
  const inPackage = displayPath(place.packageDir);
  const cd = inPackage === "." ? "" : `cd ${inPackage} && `;
  const dir = posixRelative(place.packageDir, place.workspaceDir);
  const validate = `npx exp validate${dir === "." ? "" : ` --dir ${dir}`}`;
  if (wrotePackage) return `${cd}npm install, commit package-lock.json (the workflows run npm ci), then ${validate}`;
  return `${cd}${validate}`;
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

/** The `overrides` of exp's own package.json. */
function ownOverrides(): Record<string, unknown> | undefined {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { overrides?: Record<string, unknown> };
  return manifest.overrides;
}
