import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InternalError } from "../diagnostics/errors.js";

const PACKAGE_NAME = "exp-toolchain";
let root: string | undefined;

/**
 * The root of the installed exp package: the folder whose package.json names it, found upward from
 * this file, so it is the same from `src/` (tests), `dist/src/` (the built CLI) and
 * `node_modules/exp-toolchain/dist/src/` (a user's install). The schemas, templates and the example
 * workspace ship there.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PACKAGE_NAME)
      return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new InternalError(`the ${PACKAGE_NAME} package root was not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The absolute path of a file or folder that ships with the package, e.g. `packageAsset("schemas", "exp.schema.json")`. */
export function packageAsset(...segments: string[]): string {
  const path = join(packageRoot(), ...segments);
  if (!existsSync(path)) throw new InternalError(`"${segments.join("/")}" is missing from the ${PACKAGE_NAME} package at ${packageRoot()}`);
  return path;
}
