import { existsSync, promises as fs, readFileSync, readdirSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { packageAsset } from "../fsio/package-assets.js";
import { gitopsCodes } from "./codes.js";
import { GitOpsError } from "./gitops-error.js";

export type WarehouseKind = "duckdb" | "postgres";
export const WAREHOUSE_KINDS: readonly WarehouseKind[] = ["duckdb", "postgres"];

export interface ScaffoldOptions {
  project: string;
  warehouse: WarehouseKind;
  /** The workspace folder relative to the folder of package.json, where the workflows run (default "."). */
  expDir?: string;
  /** The folder of package.json (and so node_modules) relative to the workspace folder (default "."). */
  packagePath?: string;
}

/** One file of the scaffold: a path (forward slashes) relative to its base folder, and its text. */
export interface ScaffoldFile {
  path: string;
  content: string;
  /** The folder the path is relative to: the workspace (default), the repository root, or the package.json folder. */
  base?: "workspace" | "repository" | "package";
}

/** The npm package name: schema lines point into node_modules/<this>/schemas/. */
export const PACKAGE_NAME = "exp-toolchain";

const schemaFor: Record<string, string> = {
  exp: "exp.schema.json",
  metric: "metric.schema.json",
  experiment: "experiment.schema.json",
  flag: "flag.schema.json",
  segment: "segment.schema.json",
  layers: "layers.schema.json",
  evaluation: "evaluation.schema.json",
};

/**
 * The `# yaml-language-server` line for a file at `path`. It points into the package installed in
 * the workspace's node_modules (relative, so it works on every clone and in CI, unlike an absolute
 * path into wherever exp happened to run from).
 */
export function schemaLine(path: string, kind: string, packagePath = "."): string {
  const file = schemaFor[kind];
  if (!file) throw new Error(`unknown schema kind "${kind}" in an init template`);
  const depth = path.split("/").length - 1;
  const up = (depth === 0 ? "" : "../".repeat(depth)) + (packagePath === "." ? "" : `${packagePath}/`);
  return `# yaml-language-server: $schema=${up}node_modules/${PACKAGE_NAME}/schemas/${file}`;
}

function warehouseBlock(kind: WarehouseKind): string {
  if (kind === "postgres") {
    return ["  default: warehouse", "  connections:", '    warehouse: {type: postgres, url: "env:EXP_PG_URL"}'].join("\n");
  }
  return ["  default: local", "  connections:", "    local: {type: duckdb, path: .exp/warehouse.duckdb}"].join("\n");
}

function listFiles(dir: string, base = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const rel = base ? `${base}/${name}` : name;
    if (statSync(p).isDirectory()) out.push(...listFiles(p, rel));
    else out.push(rel);
  }
  return out;
}

/** Template names that packaging would drop or misread are stored under another name. */
function targetPath(templatePath: string): string {
  return templatePath
    .split("/")
    .map((seg) => (seg.startsWith("_") ? `.${seg.slice(1)}` : seg))
    .join("/");
}

export function renderTemplate(text: string, path: string, opts: ScaffoldOptions): string {
  return text.replace(/\{\{(schema:[a-z]+|project|warehouse)\}\}/g, (_, key: string) => {
    if (key === "project") return opts.project;
    if (key === "warehouse") return warehouseBlock(opts.warehouse);
    return schemaLine(path, key.slice("schema:".length), opts.packagePath);
  });
}

/**
 * A workflow as shipped runs at the repository root on a workspace there; a workspace elsewhere
 * changes the three lines that say so (both are plain values in the templates, so they stay valid
 * workflows as shipped). Every job sets up node, so each of its lock-file lines changes.
 */
export function renderWorkflow(text: string, opts: ScaffoldOptions, packageDir: string): string {
  const lock = packageDir === "." ? "package-lock.json" : `${packageDir}/package-lock.json`;
  return text
    .replace(/^(\s+EXP_DIR: )\.$/m, `$1${quoteIfNeeded(opts.expDir ?? ".")}`)
    .replace(/^(\s+working-directory: )\.$/m, `$1${quoteIfNeeded(packageDir)}`)
    .replace(/^(\s+cache-dependency-path: )package-lock\.json$/gm, `$1${quoteIfNeeded(lock)}`);
}

function quoteIfNeeded(path: string): string {
  return /^[A-Za-z0-9._/-]+$/.test(path) ? path : JSON.stringify(path);
}

/** The package.json `exp init` writes where none exists: exp as a dev dependency and the everyday commands. */
export function packageManifest(opts: ScaffoldOptions, spec: string, overrides?: Record<string, unknown>): ScaffoldFile {
  const dirFlag = (opts.expDir ?? ".") === "." ? "" : ` --dir ${quoteIfNeeded(opts.expDir!)}`;
  const manifest = {
    name: opts.project.replace(/_/g, "-"),
    private: true,
    description: "Experiments and feature flags as code (exp)",
    scripts: {
      validate: `exp validate${dirFlag}`,
      fmt: `exp fmt${dirFlag}`,
      plan: `exp plan${dirFlag}`,
      apply: `exp apply${dirFlag}`,
    },
    devDependencies: { [PACKAGE_NAME]: spec },
    // npm applies only the installing project's overrides; exp's own pins (e.g. a dependency kept
    // below a Node version newer than exp supports) are repeated here so an install stays clean.
    ...(overrides && Object.keys(overrides).length > 0 ? { overrides } : {}),
  };
  return { path: "package.json", content: `${JSON.stringify(manifest, null, 2)}\n`, base: "package" };
}

/**
 * The files `exp init` writes: the example workspace from templates/init and the workflows from
 * templates/github (at the repository root; `packageDir` is the package.json folder relative to it).
 */
export function planScaffold(opts: ScaffoldOptions, packageDir = "."): ScaffoldFile[] {
  const files: ScaffoldFile[] = [];
  const initDir = packageAsset("templates", "init");
  for (const t of listFiles(initDir)) {
    const path = targetPath(t);
    files.push({ path, content: renderTemplate(readFileSync(join(initDir, t), "utf8"), path, opts) });
  }
  const ghDir = packageAsset("templates", "github");
  for (const t of listFiles(ghDir)) {
    const content = renderWorkflow(readFileSync(join(ghDir, t), "utf8"), opts, packageDir);
    files.push({ path: posix.join(".github", "workflows", t), content, base: "repository" });
  }
  return files;
}

const PROJECT_RE = /^[a-z][a-z0-9_-]{0,63}$/;

export function checkProjectName(name: string): string | undefined {
  if (PROJECT_RE.test(name)) return undefined;
  return `project name "${name}" must start with a lowercase letter and hold only a-z, 0-9, "_" or "-" (at most 64)`;
}

/** A sensible default project name from a folder name. */
export function projectNameFrom(dir: string): string {
  const base = resolve(dir).split(sep).pop() ?? "";
  const cleaned = base
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, 64);
  return cleaned || "experiments";
}

export interface ScaffoldResult {
  written: string[];
  /** Files that already existed and were kept as they are. */
  skipped: string[];
}

/** What an `npm install` of exp leaves in a folder: not a reason to ask for --force. */
const INSTALL_LEFTOVERS = new Set([".git", "package.json", "package-lock.json", "npm-shrinkwrap.json", "node_modules", ".npmrc"]);

/** A package tarball (`npm pack`), or a folder of them such as vendor/: what exp was installed from. */
function isTarballStore(dir: string, name: string): boolean {
  if (name.endsWith(".tgz")) return true;
  const path = join(dir, name);
  if (!statSync(path).isDirectory()) return false;
  const inside = readdirSync(path);
  return inside.length > 0 && inside.every((n) => n.endsWith(".tgz"));
}

function isEmptyDir(dir: string): boolean {
  if (!existsSync(dir)) return true;
  return readdirSync(dir).filter((n) => !INSTALL_LEFTOVERS.has(n) && !isTarballStore(dir, n)).length === 0;
}

/** The folders a scaffold file's path is relative to; all the workspace folder unless given. */
export interface ScaffoldRoots {
  repository?: string;
  package?: string;
}

/**
 * Writes the scaffold into `dir`. Refuses a non-empty folder unless `force`, and even then never
 * replaces a file that exists: each file is written to a temp file and hard-linked into place,
 * which fails instead of overwriting if the name was taken meanwhile.
 */
export async function writeScaffold(
  dir: string,
  files: readonly ScaffoldFile[],
  force: boolean,
  roots: ScaffoldRoots = {},
): Promise<ScaffoldResult> {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new GitOpsError(gitopsCodes.initNotEmpty, `"${dir}" exists and is not a folder; choose another path`);
  }
  if (!force && !isEmptyDir(target)) {
    throw new GitOpsError(
      gitopsCodes.initNotEmpty,
      `"${dir}" is not empty; run "exp init" in an empty folder, or pass --force to add only the missing files`,
    );
  }
  const result: ScaffoldResult = { written: [], skipped: [] };
  for (const f of files) {
    const base = f.base === "repository" ? (roots.repository ?? target) : f.base === "package" ? (roots.package ?? target) : target;
    const dest = join(base, ...f.path.split("/"));
    const shown = shownPath(target, dest);
    if (existsSync(dest)) {
      result.skipped.push(shown);
      continue;
    }
    await fs.mkdir(dirname(dest), { recursive: true });
    const tmp = join(dirname(dest), `.${randomBytes(6).toString("hex")}.exp-init.tmp`);
    await fs.writeFile(tmp, f.content, { flag: "wx" });
    try {
      await fs.link(tmp, dest);
      result.written.push(shown);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EEXIST") result.skipped.push(shown);
      else if ((code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP") && !existsSync(dest)) {
        // Filesystems without hard links: rename is still atomic, with a narrower no-overwrite window.
        await fs.rename(tmp, dest);
        result.written.push(shown);
      } else throw err;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }
  return result;
}

/** A written file as listed: relative to the workspace when inside it, else as the user would type it. */
function shownPath(workspace: string, file: string): string {
  const rel = relative(workspace, file);
  return rel.startsWith("..") ? displayPath(file) : rel.split(sep).join("/");
}

export function displayPath(dir: string): string {
  const rel = relative(process.cwd(), resolve(dir));
  return rel === "" ? "." : rel.startsWith("..") ? resolve(dir) : rel;
}
