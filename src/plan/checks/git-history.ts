import { simpleGit } from "simple-git";

/**
 * The last time each workspace file changed, from git: one `git log --name-only` pass over the
 * workspace (newest first, so the first sighting of a path is its last commit) instead of one
 * `git log -1` per file. Files with uncommitted changes count as changed at `now`, because the
 * change under review is itself a change. Returns undefined outside a git repository.
 *
 * Paths in the result are relative to `root` with forward slashes, like Origin.file.
 */
export async function lastChangedFromGit(
  root: string,
  files?: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, Date> | undefined> {
  const git = simpleGit({ baseDir: root });
  let prefix: string;
  try {
    if ((await git.raw(["rev-parse", "--is-inside-work-tree"])).trim() !== "true") return undefined;
    prefix = (await git.raw(["rev-parse", "--show-prefix"])).trim();
  } catch {
    return undefined;
  }
  const specs = files && files.length > 0 ? [...files] : ["."];
  const out = new Map<string, Date>();
  const relative = (p: string): string | undefined => (p.startsWith(prefix) ? p.slice(prefix.length) : undefined);

  let log = "";
  try {
    log = await git.raw([
      "-c",
      "core.quotePath=false",
      "--literal-pathspecs",
      "log",
      "--no-renames",
      "--format=%x00%cI",
      "--name-only",
      "--",
      ...specs,
    ]);
  } catch {
    // A repository without commits yet has no history to read.
  }
  let when: Date | undefined;
  for (const line of log.split("\n")) {
    if (line.startsWith("\0")) when = new Date(line.slice(1));
    else if (line !== "" && when) {
      const p = relative(line);
      if (p !== undefined && !out.has(p)) out.set(p, when);
    }
  }

  const status = await git.raw([
    "-c",
    "core.quotePath=false",
    "--literal-pathspecs",
    "status",
    "--porcelain",
    "--untracked-files=all",
    "--",
    ...specs,
  ]);
  for (const line of status.split("\n")) {
    if (line.length < 4) continue;
    // "XY path" or "XY old -> new" for renames.
    const path = line.slice(3).split(" -> ").pop()!.replace(/^"|"$/g, "");
    const p = relative(path);
    if (p !== undefined) out.set(p, now);
  }
  return out;
}
