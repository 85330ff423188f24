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

/** Whether the working tree has uncommitted changes below `root` (a report's provenance says so). */
export async function isDirty(root: string): Promise<boolean> {
  try {
    const s = await simpleGit({ baseDir: root }).status(["--", "."]);
    return !s.isClean();
  } catch {
    return false;
  }
}
