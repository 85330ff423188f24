import { promises as fs } from "node:fs";
import { join } from "node:path";
import { readTextIfExists, sweepTempFiles, writeFileAtomic } from "../../fsio/atomic.js";
import { acquireLock } from "../lock.js";
import { AUDIT_FILE, LayoutTarget } from "./layout.js";
import type { StateFileWrite, StateFiles } from "./state-files.js";
import type { LockHandle, LockOwner, RulesetVerifier } from "./target.js";

export interface DirectoryTargetOptions {
  /** Schema + checksum check run on every ruleset written and read. */
  verify?: RulesetVerifier;
  /** Shown in messages instead of the absolute path (e.g. ".exp/published"). */
  displayPath?: string;
  onStaleLockBroken?: (owner: LockOwner) => void;
}

/** A folder of state files, each replaced atomically (fsio/atomic) in the order given. */
class FolderFiles implements StateFiles {
  constructor(
    private readonly dir: string,
    private readonly where: string,
  ) {}

  shown(name: string): string {
    return join(this.where, name);
  }

  read(name: string): Promise<string | undefined> {
    return readTextIfExists(join(this.dir, name));
  }

  async list(): Promise<string[]> {
    try {
      return await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
  }

  async write(files: readonly StateFileWrite[]): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    await sweepTempFiles(this.dir, 60_000);
    for (const f of files) await writeFileAtomic(join(this.dir, f.name), f.text);
  }
}

/**
 * The default target: a folder (`.exp/published`) holding `ruleset.v<N>.json`, a `current` pointer,
 * a `lock` file and `audit.log.jsonl` (the layout of layout.ts).
 */
export class DirectoryTarget extends LayoutTarget {
  readonly description: string;
  constructor(
    readonly dir: string,
    private readonly options: DirectoryTargetOptions = {},
  ) {
    super(new FolderFiles(dir, options.displayPath ?? dir), options.verify);
    this.description = `directory ${options.displayPath ?? dir}`;
  }

  get lockPath(): string {
    return join(this.dir, "lock");
  }
  get auditPath(): string {
    return join(this.dir, AUDIT_FILE);
  }

  async lock(holder: string, options: { timeoutMs?: number } = {}): Promise<LockHandle> {
    await fs.mkdir(this.dir, { recursive: true });
    return acquireLock(this.lockPath, holder, { timeoutMs: options.timeoutMs, onStaleBroken: this.options.onStaleLockBroken });
  }
}
