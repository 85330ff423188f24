import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { simpleGit } from "simple-git";

/** The example workspace that ships at the package root. */
export const EXAMPLE_FILES = ["exp.yaml", "layers.yaml", "metrics", "experiments", "flags", "segments"];

export function packageRoot(): string {
  // dist/src/demo/scaffold.js or src/demo/scaffold.ts → the package root.
  for (const up of ["../../../", "../../"]) {
    const dir = new URL(up, import.meta.url).pathname;
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "exp.yaml"))) return dir;
  }
  throw new Error("the example workspace is missing from the package");
}

/** Copies the example into `dir` (which must be empty or absent) and commits it in a new git repository. */
export async function scaffoldDemoRepo(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) throw new Error(`the demo folder "${dir}" is not empty`);
  const root = packageRoot();
  for (const f of EXAMPLE_FILES) cpSync(join(root, f), join(dir, f), { recursive: true });
  writeFileSync(join(dir, ".gitignore"), ".exp/\n");
  const git = simpleGit({ baseDir: dir });
  await git.init();
  await git.addConfig("user.name", "exp demo");
  await git.addConfig("user.email", "demo@exp.invalid");
  await git.add(".");
  await git.commit("Example workspace: shop experiments, flags and metrics");
}
