import { createHash } from "node:crypto";
import type { Ruleset } from "../../ruleset/types.js";
import { formatAuditLine, GENESIS_HASH, type AuditRecord } from "../audit.js";
import { parseAuditRecords, readAuditLines, type AuditAnchor } from "../audit-verify.js";
import { checkExpectation } from "./expectation.js";
import { PublishError } from "./errors.js";
import { stateCodes } from "./codes.js";
import type { StateFiles } from "./state-files.js";
import type { LockHandle, PublishExpectation, PublishTarget, PublishedRuleset, RulesetVerifier } from "./target.js";

/**
 * What the `current` file holds: the version, hashes that catch a swapped or damaged file, and the
 * head of the audit log. The head is kept here, outside the log, so a log whose last records were
 * deleted (or the whole log) no longer matches; pointers written before it existed lack `audit`.
 */
interface CurrentPointer {
  version: number;
  checksum: string;
  /** SHA-256 of the exact bytes of ruleset.v<version>.json. */
  fileSha256: string;
  audit?: AuditAnchor;
}

const VERSION_FILE = /^ruleset\.v([1-9][0-9]*)\.json$/;
export const CURRENT_FILE = "current";
export const AUDIT_FILE = "audit.log.jsonl";

export function versionFileName(version: number): string {
  return `ruleset.v${version}.json`;
}

/**
 * The layout shared by the directory and git targets: `ruleset.v<N>.json` for every version, a
 * `current` pointer and `audit.log.jsonl`. The pointer is written after the version file it names,
 * and an audit append writes the log before moving the pointer's anchor to it, so a crash leaves
 * the old or the new current and at most one record not yet anchored.
 */
export abstract class LayoutTarget implements PublishTarget {
  abstract readonly description: string;

  protected constructor(
    protected readonly files: StateFiles,
    private readonly verify?: RulesetVerifier,
  ) {}

  abstract lock(holder: string, options?: { timeoutMs?: number }): Promise<LockHandle>;

  async current(): Promise<PublishedRuleset | undefined> {
    const pointer = await this.pointer();
    if (!pointer) return undefined;
    const loaded = await this.load(pointer.version);
    const file = this.shown(versionFileName(pointer.version));
    if (!loaded) throw this.rejected(`the current pointer names version ${pointer.version}, but "${file}" is missing`);
    if (pointer.fileSha256 && loaded.fileSha256 !== pointer.fileSha256)
      throw this.rejected(`"${file}" changed after it was published (its SHA-256 differs from the current pointer)`);
    if (loaded.published.checksum !== pointer.checksum)
      throw this.rejected(`"${file}" has checksum ${loaded.published.checksum}, but the current pointer expects ${pointer.checksum}`);
    return loaded.published;
  }

  async get(version: number): Promise<PublishedRuleset | undefined> {
    return (await this.load(version))?.published;
  }

  async versions(): Promise<number[]> {
    return (await this.files.list())
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
    const bytes = `${JSON.stringify(ruleset, null, 2)}\n`;
    const pointer = { version, checksum: ruleset.checksum, fileSha256: sha256(bytes), audit: await this.anchorToKeep() };
    await this.files.write(
      [
        { name: versionFileName(version), text: bytes },
        { name: CURRENT_FILE, text: pointerText(pointer) },
      ],
      `exp: publish ruleset version ${version}`,
    );
    return { version, checksum: ruleset.checksum, ruleset };
  }

  async activate(version: number, expect: PublishExpectation): Promise<PublishedRuleset> {
    const loaded = await this.load(version);
    if (!loaded) throw new PublishError(stateCodes.unknownVersion, `version ${version} is not stored in ${this.description}`);
    checkExpectation(await this.current(), expect, this.description);
    const pointer = { version, checksum: loaded.published.checksum, fileSha256: loaded.fileSha256, audit: await this.anchorToKeep() };
    await this.files.write([{ name: CURRENT_FILE, text: pointerText(pointer) }], `exp: make ruleset version ${version} current`);
    return loaded.published;
  }

  async auditText(): Promise<string> {
    return (await this.files.read(AUDIT_FILE)) ?? "";
  }

  async audit(): Promise<AuditRecord[]> {
    return parseAuditRecords(await this.auditText());
  }

  /** The anchored head of the audit log, undefined when nothing is current or the pointer predates anchors. */
  async auditAnchor(): Promise<AuditAnchor | undefined> {
    return (await this.pointer())?.audit;
  }

  /**
   * Rewrites the whole log rather than appending in place: an append cut short by a crash would
   * leave a torn last line, which is indistinguishable from tampering. Audit logs grow by one line
   * per apply, so the copy stays small. The pointer's anchor then moves to the new record.
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
    const writes = [{ name: AUDIT_FILE, text: text + formatAuditLine(record) }];
    const pointer = await this.pointer();
    if (pointer) writes.push({ name: CURRENT_FILE, text: pointerText({ ...pointer, audit: { seq: record.seq, hash: record.hash } }) });
    await this.files.write(writes, `exp: audit record ${record.seq} (${record.action} to version ${record.toVersion} by ${record.actor})`);
  }

  /**
   * A new pointer keeps the anchor of the one it replaces; the first pointer anchors the log as it
   * stands (empty: seq 0). A pointer from before anchors stays without one until the next append.
   */
  private async anchorToKeep(): Promise<AuditAnchor | undefined> {
    const pointer = await this.pointer();
    if (pointer) return pointer.audit;
    const records = await this.audit();
    const head = records[records.length - 1];
    return head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  private async pointer(): Promise<CurrentPointer | undefined> {
    const text = await this.files.read(CURRENT_FILE);
    if (text === undefined) return undefined;
    try {
      const pointer = JSON.parse(text) as CurrentPointer;
      if (!Number.isInteger(pointer.version) || typeof pointer.checksum !== "string") throw new Error("missing version or checksum");
      const a = pointer.audit;
      if (a !== undefined && (!Number.isInteger(a?.seq) || typeof a?.hash !== "string"))
        throw new Error("its audit head is not {seq, hash}");
      return pointer;
    } catch (err) {
      throw this.rejected(`the current pointer "${this.shown(CURRENT_FILE)}" is damaged (${(err as Error).message})`);
    }
  }

  private async load(version: number): Promise<{ published: PublishedRuleset; fileSha256: string } | undefined> {
    const name = versionFileName(version);
    const bytes = await this.files.read(name);
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

  private verifyOrThrow(ruleset: unknown, what: string): void {
    const r = ruleset as Partial<Ruleset> | null;
    if (r === null || typeof r !== "object" || typeof r.checksum !== "string" || r.version === undefined)
      throw this.rejected(`${what} is not a ruleset (it needs at least version and checksum)`);
    const verdict = this.verify?.(ruleset);
    if (verdict && !verdict.ok) throw this.rejected(`${what} failed verification: ${verdict.message}`);
  }

  private rejected(message: string): PublishError {
    return new PublishError(stateCodes.rulesetRejected, message);
  }

  private shown(name: string): string {
    return this.files.shown(name);
  }
}

function pointerText(pointer: CurrentPointer): string {
  return `${JSON.stringify(pointer)}\n`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
