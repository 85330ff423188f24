import { existsSync, realpathSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { simpleGit } from "simple-git";

/**
 * The workspace folder relative to the git top level, with forward slashes ("" at the top), so
 * that workspace-relative diagnostic paths become repository paths. Outside git it is "".
 */
export async function workspacePrefix(dir: string): Promise<string> {
  let top: string;
  try {
    top = (await simpleGit(resolve(dir)).revparse(["--show-toplevel"])).trim();
  } catch {
    return "";
  }
  if (!top) return "";
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const rel = relative(real(top), real(resolve(dir)));
  if (rel.startsWith("..")) return "";
  return rel.split(sep).join("/");
}

/** The nearest folder upward from `start` holding exp.yaml, else `start` itself. */
export function nearestWorkspaceDir(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "exp.yaml"))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(start);
    dir = up;
  }
}
