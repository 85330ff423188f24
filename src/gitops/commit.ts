import { simpleGit } from "simple-git";

/**
 * Commits the given files (paths relative to `root`) if and only if they changed, so regenerating a
 * report with the same data makes no commit. Returns the new commit hash, or undefined when nothing changed.
 */
export async function commitFiles(root: string, paths: string[], message: string): Promise<string | undefined> {
  const git = simpleGit({ baseDir: root });
  await git.add(paths);
  const staged = await git.diff(["--cached", "--name-only", "--", ...paths]);
  if (staged.trim() === "") return undefined;
  const r = await git.commit(message, paths);
  return r.commit || (await git.revparse(["HEAD"])).trim();
}

/** The current commit of the repository holding `root`, or null outside git. */
export async function headCommit(root: string): Promise<string | null> {
  try {
    return (await simpleGit({ baseDir: root }).revparse(["HEAD"])).trim();
  } catch {
    return null;
  }
}

/** The workspace files that define experiments; reports and local state are not definitions. */
export const DEFINITION_PATHS = ["exp.yaml", "layers.yaml", "metrics", "experiments", "flags", "segments", "evaluations"];

/**
 * The last commit that changed the definitions below `root`, with "-dirty" when they have
 * uncommitted changes; null outside git. Committing a report does not change it, so a regenerated
 * report's provenance (and so its bytes) stay the same.
 */
export async function definitionsCommit(root: string): Promise<string | null> {
  try {
    const git = simpleGit({ baseDir: root });
    const commit = (await git.raw(["log", "-1", "--format=%H", "--", ...DEFINITION_PATHS])).trim();
    if (!commit) return null;
    return (await definitionsDirty(root)) ? `${commit}-dirty` : commit;
  } catch {
    return null;
  }
}

/**
 * Whether the definitions below `root` differ from HEAD: changed, staged or untracked files, so that
 * HEAD does not hold what would be published from them. False outside git.
 */
export async function definitionsDirty(root: string): Promise<boolean> {
  try {
    return !(await simpleGit({ baseDir: root }).status(["--", ...DEFINITION_PATHS])).isClean();
  } catch {
    return false;
  }
}
