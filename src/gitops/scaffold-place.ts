import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { PACKAGE_NAME } from "./scaffold.js";

/**
 * Where `exp init` puts each part. GitHub reads workflows only at the repository root, and the
 * workflows run `npm ci` and `npx exp` where package.json is, so a workspace in a sub-folder of a
 * repository gets its workflows at the root, pointed at the workspace.
 */
export interface ScaffoldPlace {
  workspaceDir: string;
  /** The git repository's top folder; the workspace folder when it is not in a repository. */
  repoRoot: string;
  /** The folder of the package.json that installs exp (existing or to be written). */
  packageDir: string;
  /** undefined: there is no package.json yet; else whether it lists exp-toolchain. */
  packageListsExp: boolean | undefined;
}

function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** The folder holding `.git` (a folder, or a file in a linked worktree) at or above `dir`. */
function findRepoRoot(dir: string): string | undefined {
  for (let d = nearestExisting(dir); ; d = dirname(d)) {
    if (existsSync(join(d, ".git"))) return d;
    if (dirname(d) === d) return undefined;
  }
}

function listsExp(manifest: string): boolean {
  try {
    const m = JSON.parse(readFileSync(manifest, "utf8")) as Record<string, Record<string, string> | undefined>;
    return ["dependencies", "devDependencies", "optionalDependencies"].some((k) => m[k]?.[PACKAGE_NAME] !== undefined);
  } catch {
    return false;
  }
}

export function placeScaffold(dir: string): ScaffoldPlace {
  const workspaceDir = resolve(dir);
  const repoRoot = findRepoRoot(workspaceDir) ?? workspaceDir;
  // The nearest package.json from the workspace up to the repository root: the project exp belongs to.
  for (let d = workspaceDir; ; d = dirname(d)) {
    const manifest = join(d, "package.json");
    if (existsSync(manifest)) return { workspaceDir, repoRoot, packageDir: d, packageListsExp: listsExp(manifest) };
    if (d === repoRoot || dirname(d) === d) break;
  }
  return { workspaceDir, repoRoot, packageDir: repoRoot, packageListsExp: undefined };
}

/** `to` relative to `from` with forward slashes; "." for the same folder. */
export function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join("/") || ".";
}
