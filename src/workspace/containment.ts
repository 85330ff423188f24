import { lstatSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { CodeInfo } from "../diagnostics/codes.js";
import { WorkspaceCodes as C } from "./codes.js";

/**
 * The rule for what the loader may open (docs/workspace.md "Files"). A workspace file or folder may be a
 * symbolic link only when it resolves inside the workspace root, outside any hidden folder, and, for a
 * file, to a `.yaml` file. So a link cannot bring `.git/config`, a `.env` file, `/etc/shadow` or
 * `/proc/self/environ` into diagnostics, and a link to `/dev/zero` is refused before it is opened.
 */
export interface WorkspaceRoot {
  /** The root as given, absolute. */
  abs: string;
  /** The root with every link resolved: what "inside" is measured against. */
  real: string;
}

export function workspaceRoot(abs: string): WorkspaceRoot {
  const given = resolve(abs);
  let real = given;
  try {
    real = realpathSync(given);
  } catch {
    // A root that cannot be resolved holds no readable file either; every read reports it.
  }
  return { abs: given, real };
}

export type Resolved = { ok: true; path: string } | { ok: false; code: CodeInfo; message: string };

/** Where the workspace-relative `rel` really is, when the rule allows reading it. */
export function resolveInside(root: WorkspaceRoot, rel: string, what: "file" | "folder" = "file"): Resolved {
  let real: string;
  try {
    real = realpathSync(join(root.abs, rel));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unknown error";
    const dangling = code === "ENOENT" && isLink(join(root.abs, rel));
    return {
      ok: false,
      code: C.unreadable,
      message: dangling
        ? `cannot read "${rel}": it is a symbolic link to nothing; fix or remove the link`
        : `cannot read "${rel}": ${code}; check that it exists and is readable`,
    };
  }
  const inner = relative(root.real, real);
  const parts = inner.split(sep);
  if (inner === "" || parts[0] === ".." || isAbsolute(inner)) {
    return {
      ok: false,
      code: C.linkOutside,
      message: `"${rel}" is a symbolic link that leads outside the workspace, so it is not read; put the ${what} itself in the workspace`,
    };
  }
  // Without links the path is the one asked for; with one, it must land on workspace YAML.
  if (inner !== relative(root.real, join(root.real, rel))) {
    const hidden = parts.some((p) => p.startsWith("."));
    if (hidden || (what === "file" && !inner.endsWith(".yaml"))) {
      return {
        ok: false,
        code: C.linkOutside,
        message: `"${rel}" is a symbolic link to ${hidden ? "a hidden path" : "a file that is not a .yaml file"}, so it is not read; link only to workspace YAML outside hidden folders`,
      };
    }
  }
  return { ok: true, path: real };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Whether something (even a broken link) exists at the path. */
export function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
