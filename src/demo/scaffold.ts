import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { simpleGit } from "simple-git";
import { APP_CODES } from "../app/codes.js";
import { ExpError } from "../diagnostics/errors.js";
import { packageAsset } from "../fsio/package-assets.js";
import { join } from "node:path";

/** The example workspace that ships at the package root. */
export const EXAMPLE_FILES = ["exp.yaml", "layers.yaml", "metrics", "experiments", "flags", "segments", "evaluations"];

/** Copies the example into `dir` (which must be empty or absent) and commits it in a new git repository. */
export async function scaffoldDemoRepo(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0)
    throw ExpError.of(APP_CODES.folderNotEmpty, `the demo folder "${dir}" is not empty`, {
      suggestion: "pass --out with a new or empty folder, or leave --out out for a new temp folder",
    });
  for (const f of EXAMPLE_FILES) cpSync(packageAsset(f), join(dir, f), { recursive: true });
  writeFileSync(join(dir, ".gitignore"), ".exp/\n");
  const git = simpleGit({ baseDir: dir });
  await git.init();
  await git.addConfig("user.name", "exp demo");
  await git.addConfig("user.email", "demo@exp.invalid");
  await git.add(".");
  await git.commit("Example workspace: shop experiments, flags and metrics");
}
