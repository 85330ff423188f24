import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { readTextIfExists, sweepTempFiles, writeFileAtomic } from "../../fsio/atomic.js";
import type { Ruleset } from "../../ruleset/types.js";
import { formatAuditLine, type AuditRecord } from "../audit.js";
import { parseAuditRecords, readAuditLines } from "../audit-verify.js";
import { acquireLock } from "../lock.js";
import { checkExpectation } from "./expectation.js";
import { PublishError } from "./errors.js";
import { stateCodes } from "./codes.js";
import type { LockHandle, LockOwner, PublishExpectation, PublishTarget, PublishedRuleset, RulesetVerifier } from "./target.js";

export interface DirectoryTargetOptions {
  /** Schema + checksum check run on every ruleset written and read. */
  verify?: RulesetVerifier;
  /** Shown in messages instead of the absolute path (e.g. ".exp/published"). */
  displayPath?: string;
  onStaleLockBroken?: (owner: LockOwner) => void;
}

/** What the `current` file holds: the version, and hashes that catch a swapped or damaged file. */
interface CurrentPointer {
  version: number;
  checksum: string;
  /** SHA-256 of the exact bytes of ruleset.v<version>.json. */
  fileSha256: string;
}

const VERSION_FILE = /^ruleset\.v([1-9][0-9]*)\.json$/;

/**
 * The default target: a folder (`.exp/published`) holding `ruleset.v<N>.json`, a `current` pointer,
 * a `lock` file and `audit.log.jsonl`. Every file is replaced atomically (fsio/atomic), and the
 * pointer is written after the version file it names, so a crash leaves the old or the new current.
 */
export class DirectoryTarget implements PublishTarget {
  readonly description: string;
  constructor(
    readonly dir: string,
    private readonly options: DirectoryTargetOptions = {},
  ) {
    this.description = `directory ${options.displayPath ?? dir}`;
  }

  get lockPath(): string {
    return join(this.dir, "lock");
  }
  get auditPath(): string {
    return join(this.dir, "audit.log.jsonl");
  }

  async current(): Promise<PublishedRuleset | undefined> {
    const text = await readTextIfExists(join(this.dir, "current"));
    if (text === undefined) return undefined;
    let pointer: CurrentPointer;
    try {
      pointer = JSON.parse(text) as CurrentPointer;
      if (!Number.isInteger(pointer.version) || typeof pointer.checksum !== "string") throw new Error("missing version or checksum");
    } catch (err) {
      throw this.rejected(`the current pointer "${this.shown("current")}" is damaged (${(err as Error).message})`);
    }
    const loaded = await this.load(pointer.version);
    if (!loaded)
      throw this.rejected(
        `the current pointer names version ${pointer.version}, but "${this.shown(fileName(pointer.version))}" is missing`,
      );
    if (pointer.fileSha256 && loaded.fileSha256 !== pointer.fileSha256)
      throw this.rejected(
        `"${this.shown(fileName(pointer.version))}" changed after it was published (its SHA-256 differs from the current pointer)`,
      );
    if (loaded.published.checksum !== pointer.checksum)
      throw this.rejected(
        `"${this.shown(fileName(pointer.version))}" has checksum ${loaded.published.checksum}, but the current pointer expects ${pointer.checksum}`,
      );
    return loaded.published;
  }

  async get(version: number): Promise<PublishedRuleset | undefined> {
    return (await this.load(version))?.published;
  }

  async versions(): Promise<number[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    return names
      .flatMap((n) => {
        const m = VERSION_FILE.exec(n);
        return m ? [Number(m[1])] : [];
      })
      .sort((a, b) => a - b);
  }

  async publish(ruleset: Ruleset, expect: PublishExpectation): Promise<PublishedRuleset> {
    this.verifyOrThrow(ruleset, "the ruleset to publish");
    const version = ruleset.version;
    if (!Number.isInteger(version) || version < 1)
      throw this.rejected(`the ruleset to publish has version ${String(version)}; versions are positive integers`);
    checkExpectation(await this.current(), expect, this.description);
    const existing = await this.versions();
    const highest = existing.length ? existing[existing.length - 1]! : 0;
    if (version <= highest)
      throw new PublishError(
        stateCodes.versionNotNewer,
        `ruleset version ${version} is not newer than the highest stored version ${highest} in ${this.description}; versions are never reused`,
        `publish it as version ${highest + 1}`,
      );
    await fs.mkdir(this.dir, { recursive: true });
    await sweepTempFiles(this.dir, 60_000);
    const bytes = `${JSON.stringify(ruleset, null, 2)}\n`;
    await writeFileAtomic(join(this.dir, fileName(version)), bytes);
    await this.writePointer({ version, checksum: ruleset.checksum, fileSha256: sha256(bytes) });
    return { version, checksum: ruleset.checksum, ruleset };
  }

  async activate(version: number, expect: PublishExpectation): Promise<PublishedRuleset> {
    const loaded = await this.load(version);
    if (!loaded) throw new PublishError(stateCodes.unknownVersion, `version ${version} is not stored in ${this.description}`);
    checkExpectation(await this.current(), expect, this.description);
    await this.writePointer({ version, checksum: loaded.published.checksum, fileSha256: loaded.fileSha256 });
    return loaded.published;
  }

  async lock(holder: string, options: { timeoutMs?: number } = {}): Promise<LockHandle> {
    await fs.mkdir(this.dir, { recursive: true });
    return acquireLock(this.lockPath, holder, { timeoutMs: options.timeoutMs, onStaleBroken: this.options.onStaleLockBroken });
  }

  async auditText(): Promise<string> {
    return (await readTextIfExists(this.auditPath)) ?? "";
  }

  async audit(): Promise<AuditRecord[]> {
    return parseAuditRecords(await this.auditText());
  }

  /**
   * Rewrites the whole log atomically rather than appending in place: an append cut short by a
   * crash would leave a torn last line, which is indistinguishable from tampering. Audit logs grow
   * by one line per apply, so the copy stays small.
   */
  async appendAudit(record: AuditRecord): Promise<void> {
    const text = await this.auditText();
    const lines = readAuditLines(text);
    const last = lines[lines.length - 1]?.record;
    const expectedSeq = last ? last.seq + 1 : 1;
    if (record.seq !== expectedSeq)
      throw new PublishError(
        stateCodes.auditAppendConflict,
        `audit record seq ${record.seq} does not follow the log, whose next seq is ${expectedSeq}`,
      );
    await fs.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.auditPath, text + formatAuditLine(record));
  }

  private async load(version: number): Promise<{ published: PublishedRuleset; fileSha256: string } | undefined> {
    const name = fileName(version);
    const bytes = await readTextIfExists(join(this.dir, name));
    if (bytes === undefined) return undefined;
    let ruleset: Ruleset;
    try {
      ruleset = JSON.parse(bytes) as Ruleset;
    } catch (err) {
      throw this.rejected(`"${this.shown(name)}" is not valid JSON (${(err as Error).message})`);
    }
    this.verifyOrThrow(ruleset, `"${this.shown(name)}"`);
    if (ruleset.version !== version) throw this.rejected(`"${this.shown(name)}" says it is version ${String(ruleset.version)}`);
    return { published: { version, checksum: ruleset.checksum, ruleset }, fileSha256: sha256(bytes) };
  }

  private async writePointer(pointer: CurrentPointer): Promise<void> {
    await writeFileAtomic(join(this.dir, "current"), `${JSON.stringify(pointer)}\n`);
  }

  private verifyOrThrow(ruleset: unknown, what: string): void {
    const r = ruleset as Partial<Ruleset> | null;
    if (r === null || typeof r !== "object" || typeof r.checksum !== "string" || r.version === undefined)
      throw this.rejected(`${what} is not a ruleset (it needs at least version and checksum)`);
    const verdict = this.options.verify?.(ruleset);
    if (verdict && !verdict.ok) throw this.rejected(`${what} failed verification: ${verdict.message}`);
  }

  private rejected(message: string): PublishError {
    return new PublishError(stateCodes.rulesetRejected, message);
  }

  private shown(name: string): string {
    return join(this.options.displayPath ?? this.dir, name);
  }
}

function fileName(version: number): string {
  return `ruleset.v${version}.json`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
