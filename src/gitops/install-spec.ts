import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { PACKAGE_NAME } from "./scaffold.js";

/** Where the running exp came from, as npm would install it again. */
export interface InstallSpec {
  /** An npm spec: a git URL, an https tarball, or `file:` with an absolute path. */
  spec: string;
  /** The package.json that named it, or undefined when exp runs from a checkout of its own repository. */
  declaredIn?: string;
}

type Manifest = {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

/**
 * The spec exp was installed from. An install is `<project>/node_modules/exp-toolchain`; the
 * project's package.json (a user's repository, or npx's cache folder for `npx --package <spec>`)
 * names the spec. A relative `file:` spec is made absolute here, because it is rewritten relative to
 * wherever the new package.json goes. Run from a checkout, the checkout itself is the spec.
 */
export function findInstallSpec(packageRoot: string): InstallSpec {
  const parent = dirname(packageRoot);
  if (basename(parent) === "node_modules") {
    const manifest = join(dirname(parent), "package.json");
    if (existsSync(manifest)) {
      const m = JSON.parse(readFileSync(manifest, "utf8")) as Manifest;
      const spec = m.devDependencies?.[PACKAGE_NAME] ?? m.dependencies?.[PACKAGE_NAME] ?? m.optionalDependencies?.[PACKAGE_NAME];
      if (spec) return { spec: absoluteFileSpec(spec, dirname(manifest)), declaredIn: manifest };
    }
  }
  return { spec: `file:${packageRoot}` };
}

function absoluteFileSpec(spec: string, base: string): string {
  const path = fileSpecPath(spec);
  if (path === undefined) return spec;
  return `file:${isAbsolute(path) ? path : resolve(base, path)}`;
}

/** The path of a local spec (`file:x`, `./x.tgz`, `/abs/x.tgz`), or undefined for git, URL and registry specs. */
function fileSpecPath(spec: string): string | undefined {
  if (spec.startsWith("file:")) return spec.slice("file:".length).replace(/^\/\/(?=\/)/, "");
  if (/^(\.{1,2}\/|\/|~\/)/.test(spec)) return spec;
  return undefined;
}

/**
 * The spec as the package.json in `packageDir` should hold it: a local path relative to that folder
 * when it lies inside it (a tarball committed to the repository works on every clone), else as is.
 */
export function specFor(packageDir: string, install: InstallSpec): string {
  const path = fileSpecPath(install.spec);
  if (path === undefined) return install.spec;
  const rel = relative(packageDir, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return install.spec;
  return `file:${rel.split(sep).join("/")}`;
}

/** True when a CI runner's clean checkout of `repoRoot` cannot install from this spec (a local path outside it). */
export function unreachableFromCheckout(install: InstallSpec, repoRoot: string): boolean {
  const path = fileSpecPath(install.spec);
  if (path === undefined) return false;
  const rel = relative(repoRoot, path);
  return rel.startsWith("..") || isAbsolute(rel);
}
