import { realpathSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
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
