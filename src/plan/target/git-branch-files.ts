import { PublishError } from "./errors.js";
import { stateCodes } from "./codes.js";
import { gitComplaint, runGit, type GitResult } from "./git-run.js";
import type { StateFileWrite, StateFiles } from "./state-files.js";

export interface GitBranchOptions {
  /** A folder inside the repository (the workspace root). */
  cwd: string;
  branch: string;
  /** The remote fetched from and pushed to; a repository without a remote of this name keeps the branch locally. */
  remote: string;
  env?: NodeJS.ProcessEnv;
  /** Limit for one fetch or push. */
  networkTimeoutMs?: number;
}

/** The branch as last read or written: its commit (none before the first publish) and its files. */
interface Snapshot {
  commit: string | undefined;
  /** File name → blob id. */
  entries: Map<string, string>;
}

/** An author for the state commits when git has none configured (a fresh CI runner). */
const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: "exp",
  GIT_AUTHOR_EMAIL: "exp@localhost",
  GIT_COMMITTER_NAME: "exp",
  GIT_COMMITTER_EMAIL: "exp@localhost",
};

/**
 * The state files as the tree of the newest commit of one branch. It is read from the remote
 * (`git fetch` of that one branch) and written as a new commit on top of what was read, with plain
 * `git push`: a push that is not a fast-forward means someone published meanwhile, which is the
 * compare-and-swap. Without a remote of that name the branch is local (`git update-ref` with the old
 * value is the compare-and-swap) until a remote is added; the next write then pushes its history.
 * Nothing touches the working tree, the index or the checked-out branch.
 */
export class GitBranchFiles implements StateFiles {
  private snapshot?: Promise<Snapshot>;
  private readonly blobs = new Map<string, string>();
  private remotePresent?: Promise<boolean>;

  constructor(private readonly o: GitBranchOptions) {}

  shown(name: string): string {
    return `${this.o.branch}:${name}`;
  }

  /** Forget what was read, so the next read fetches again (after taking the lock, or a lost race). */
  invalidate(): void {
    this.snapshot = undefined;
  }

  async read(name: string): Promise<string | undefined> {
    const oid = (await this.head()).entries.get(name);
    if (oid === undefined) return undefined;
    const cached = this.blobs.get(oid);
    if (cached !== undefined) return cached;
    const text = (await this.git(["cat-file", "blob", oid], "read the published state")).stdout;
    this.blobs.set(oid, text);
    return text;
  }

  async list(): Promise<string[]> {
    return [...(await this.head()).entries.keys()];
  }

  async write(files: readonly StateFileWrite[], why: string): Promise<void> {
    const before = await this.head();
    const entries = new Map(before.entries);
    for (const f of files) {
      const oid = (await this.git(["hash-object", "-w", "--stdin"], "store the published state", f.text)).stdout.trim();
      entries.set(f.name, oid);
      this.blobs.set(oid, f.text);
    }
    const listing = [...entries].map(([name, oid]) => `100644 blob ${oid}\t${name}\0`).join("");
    const tree = (await this.git(["mktree", "-z"], "store the published state", listing)).stdout.trim();
    const commit = await this.commitTree(tree, before.commit, why);
    if (await this.hasRemote()) await this.push(commit, before.commit);
    else {
      const r = await runGit(["update-ref", this.localRef, commit, before.commit ?? ""], this.run());
      if (r.code !== 0) {
        this.invalidate();
        throw this.moved(gitComplaint(r));
      }
    }
    this.snapshot = Promise.resolve({ commit, entries });
  }

  private get localRef(): string {
    return `refs/heads/${this.o.branch}`;
  }
  private get trackingRef(): string {
    return `refs/remotes/${this.o.remote}/${this.o.branch}`;
  }

  private head(): Promise<Snapshot> {
    if (!this.snapshot) {
      const loading = this.load();
      this.snapshot = loading;
      // A failed read (no network) is retried by the next call rather than remembered.
      loading.catch(() => {
        if (this.snapshot === loading) this.snapshot = undefined;
      });
    }
    return this.snapshot;
  }

  private async load(): Promise<Snapshot> {
    await this.checkRepository();
    let commit: string | undefined;
    if (await this.hasRemote()) {
      const r = await runGit(
        ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", this.o.remote, `+${this.localRef}:${this.trackingRef}`],
        this.run(this.o.networkTimeoutMs ?? 120_000),
      );
      if (r.code === 0) commit = await this.resolve(this.trackingRef);
      // Not pushed yet: a branch written before the remote was added is the history to continue.
      else if (/couldn't find remote ref/i.test(r.stderr)) commit = await this.resolve(this.localRef);
      else
        throw new PublishError(
          stateCodes.targetUnreachable,
          `could not fetch branch "${this.o.branch}" from remote "${this.o.remote}" (${gitComplaint(r)})`,
          "check the network and that this job may read the repository (permissions: contents: read), or set runtime.publish.remote in exp.yaml",
        );
    } else commit = await this.resolve(this.localRef);
    const entries = new Map<string, string>();
    if (commit) {
      const listing = (await this.git(["ls-tree", "-z", commit], "read the published state")).stdout;
      for (const item of listing.split("\0")) {
        const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(item);
        if (m) entries.set(m[2]!, m[1]!);
      }
    }
    return { commit, entries };
  }

  private async push(commit: string, parent: string | undefined): Promise<void> {
    const r = await runGit(
      ["push", "--porcelain", "--quiet", this.o.remote, `${commit}:${this.localRef}`],
      this.run(this.o.networkTimeoutMs ?? 120_000),
    );
    if (r.code !== 0) {
      this.invalidate();
      const said = `${r.stdout}\n${r.stderr}`;
      if (/\[rejected\]|non-fast-forward|fetch first|stale info/.test(said) && !/\[remote rejected\]/.test(said))
        throw this.moved(`the push of a new commit was not a fast-forward`);
      throw new PublishError(
        stateCodes.targetUnreachable,
        `could not push branch "${this.o.branch}" to remote "${this.o.remote}" (${pushComplaint(r)})`,
        "the job needs permission to push (permissions: contents: write), and the branch must accept pushes from it",
      );
    }
    await runGit(["update-ref", this.trackingRef, commit], this.run());
    // Keep a local branch of that name in step, when it is where the remote's history came from.
    if (parent && (await this.resolve(this.localRef)) === parent) await runGit(["update-ref", this.localRef, commit, parent], this.run());
  }

  private async commitTree(tree: string, parent: string | undefined, message: string): Promise<string> {
    const args = ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-m", message];
    let r = await runGit(args, this.run());
    if (r.code !== 0 && /identity|ident name|email address/i.test(r.stderr))
      r = await runGit(args, { ...this.run(), env: { ...(this.o.env ?? process.env), ...FALLBACK_IDENTITY } });
    if (r.code !== 0) throw this.failed("record the published state", r);
    return r.stdout.trim();
  }

  private async checkRepository(): Promise<void> {
    const r = await runGit(["rev-parse", "--git-dir"], this.run());
    if (r.code !== 0)
      throw new PublishError(
        stateCodes.targetConfig,
        `runtime.publish has type "git", but "${this.o.cwd}" is not inside a git repository (${gitComplaint(r)})`,
        "run `git init` there, or choose another target in exp.yaml (type: directory or http)",
      );
  }

  private hasRemote(): Promise<boolean> {
    this.remotePresent ??= runGit(["remote", "get-url", this.o.remote], this.run()).then((r) => r.code === 0);
    return this.remotePresent;
  }

  private async resolve(ref: string): Promise<string | undefined> {
    const r = await runGit(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], this.run());
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  private async git(args: string[], doing: string, input?: string): Promise<GitResult> {
    const r = await runGit(args, { ...this.run(), input });
    if (r.code !== 0) throw this.failed(doing, r);
    return r;
  }

  private run(timeoutMs?: number) {
    return { cwd: this.o.cwd, env: this.o.env, timeoutMs };
  }

  private failed(doing: string, r: GitResult): PublishError {
    return new PublishError(stateCodes.targetUnreachable, `git could not ${doing} on branch "${this.o.branch}" (${gitComplaint(r)})`);
  }

  private moved(detail: string): PublishError {
    return new PublishError(
      stateCodes.publishConflict,
      `the published state on branch "${this.o.branch}" moved while this command ran: another apply or rollback wrote it first (${detail})`,
      "run `exp plan` again and apply the new plan",
    );
  }
}

/** A refused push says why on a "!" line of --porcelain output, or on stderr. */
function pushComplaint(r: GitResult): string {
  const bang = r.stdout.split("\n").find((l) => l.startsWith("!"));
  if (bang) return bang.split("\t").slice(2).join(" ").trim() || bang;
  return gitComplaint(r);
}
