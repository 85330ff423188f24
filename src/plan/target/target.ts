import type { Ruleset } from "../../ruleset/types.js";
import type { AuditRecord } from "../audit.js";
import type { AuditAnchor } from "../audit-verify.js";

/** A stored ruleset; `version` and `checksum` repeat the ruleset's own, which targets check on read. */
export interface PublishedRuleset {
  version: number;
  checksum: string;
  ruleset: Ruleset;
}

/**
 * Schema, checksum and reference check of a ruleset (src/ruleset/verify.ts, adapted by
 * plan/prepare.ts). Passed in, so that a target stays free of the schema validator; a target given
 * none trusts that what it reads has the ruleset's shape.
 */
export type RulesetVerifier = (ruleset: unknown) => { ok: true } | { ok: false; message: string };

/** What a publish expects to replace: `expectedVersion` undefined means "nothing published yet". */
export interface PublishExpectation {
  expectedVersion: number | undefined;
  expectedChecksum: string | undefined;
}

export interface LockHandle {
  /** Set when taking the lock removed a stale lock left by a dead process. */
  readonly brokeStale?: LockOwner;
  release(): Promise<void>;
}

export interface LockOwner {
  holder: string;
  pid: number;
  host: string;
  /** ISO-8601 time the lock was taken. */
  since: string;
}

/**
 * Where rulesets are published. Plan and apply talk only to this interface, so a new store (an
 * object store, a database) is one new file in this folder.
 *
 * Versions are positive integers that never repeat; `current` may point at any stored version
 * (a rollback re-points it to an older one). Every write is compare-and-swap against the current
 * pointer, and callers hold `lock()` around read-modify-write sequences (publish + audit append).
 */
export interface PublishTarget {
  /** Human name for messages, e.g. "directory .exp/published". */
  readonly description: string;
  /** The exp.yaml environment this target holds the state of; every audit record appended names it. */
  readonly environment?: string;
  current(): Promise<PublishedRuleset | undefined>;
  get(version: number): Promise<PublishedRuleset | undefined>;
  /** Every stored version, ascending. */
  versions(): Promise<number[]>;
  /** Stores `ruleset` as version `ruleset.version` and makes it current; refuses when current moved. */
  publish(ruleset: Ruleset, expect: PublishExpectation): Promise<PublishedRuleset>;
  /** Re-points current to an already stored version (rollback); refuses when current moved. */
  activate(version: number, expect: PublishExpectation): Promise<PublishedRuleset>;
  lock(holder: string, options?: { timeoutMs?: number }): Promise<LockHandle>;
  /**
   * Appends a complete, already chained record; refuses when its seq does not follow the last one.
   * A target that keeps an audit anchor moves it to this record.
   */
  appendAudit(record: AuditRecord): Promise<void>;
  /** The raw audit log text (JSON lines), "" when empty; parse and verify it with audit-verify.ts. */
  auditText(): Promise<string>;
  audit(): Promise<AuditRecord[]>;
  /**
   * The head of the audit log as recorded outside the log (the directory and git targets keep it in
   * `current`), so that deleting or truncating the log is detected. Optional: a target without one
   * (http) is verified by its hash chain alone. Undefined when nothing is anchored yet.
   */
  auditAnchor?(): Promise<AuditAnchor | undefined>;
}
