import { join } from "node:path";
import { acquireLock } from "../lock.js";
import { GitBranchFiles } from "./git-branch-files.js";
import { LayoutTarget } from "./layout.js";
import type { LockHandle, LockOwner, RulesetVerifier } from "./target.js";
import { promises as fs } from "node:fs";

export const DEFAULT_GIT_BRANCH = "exp-published";
export const DEFAULT_GIT_REMOTE = "origin";
/** Local lock files of git targets (documented in src/plan/README.md). */
export const GIT_LOCK_DIR = ".exp/git-target";

export interface GitTargetOptions {
  /** The workspace root, inside the repository. */
  root: string;
  branch: string;
  remote: string;
  verify?: RulesetVerifier;
  onStaleLockBroken?: (owner: LockOwner) => void;
  env?: NodeJS.ProcessEnv;
}

/**
 * The layout of the directory target, kept as the files of a dedicated branch of the workspace's own
 * repository (git-branch-files.ts), so published state survives every CI runner and needs no server.
 * The lock serialises publishers on this machine; across machines the push is the compare-and-swap.
 */
export class GitTarget extends LayoutTarget {
  readonly description: string;
  private readonly branchFiles: GitBranchFiles;

  constructor(private readonly o: GitTargetOptions) {
    const files = new GitBranchFiles({ cwd: o.root, branch: o.branch, remote: o.remote, env: o.env });
    super(files, o.verify);
    this.branchFiles = files;
    this.description = `git branch "${o.branch}"`;
  }

  get lockPath(): string {
    return join(this.o.root, GIT_LOCK_DIR, `${this.o.branch.replace(/[^A-Za-z0-9._-]/g, "_")}.lock`);
  }

  async lock(holder: string, options: { timeoutMs?: number } = {}): Promise<LockHandle> {
    await fs.mkdir(join(this.o.root, GIT_LOCK_DIR), { recursive: true });
    const handle = await acquireLock(this.lockPath, holder, { timeoutMs: options.timeoutMs, onStaleBroken: this.o.onStaleLockBroken });
    // What was read before the lock may be older than what the last holder pushed.
    this.branchFiles.invalidate();
    return handle;
  }
}
