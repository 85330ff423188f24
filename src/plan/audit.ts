import { createHash } from "node:crypto";
import { canonicalJson } from "../ruleset/canonical-json.js";

/**
 * One line of the audit log. `hash` is the SHA-256 of the canonical JSON of every other field, and
 * `prevHash` is the previous record's hash, so editing, deleting or reordering a line breaks the chain.
 * The chain's head is also anchored outside the log (the `current` pointer of a file-layout target),
 * so removing records from the end is caught too (audit-verify.ts).
 */
export interface AuditRecord {
  seq: number;
  ts: string;
  actor: string;
  sourceCommit: string | null;
  fromVersion: number | null;
  toVersion: number;
  action: AuditAction;
  summary: string;
  /** The exp.yaml environment whose published state this record belongs to; absent without environments. */
  environment?: string;
  /**
   * Apply records: true when the workspace definitions had uncommitted changes, so `sourceCommit`
   * does not hold what was published; `contentChecksum` then identifies it.
   */
  dirty?: boolean;
  /** Apply records: the content checksum of the published ruleset (`desiredChecksum` of `exp plan --format json`). */
  contentChecksum?: string;
  /** Apply records: amendments to started experiments' registered designs that this publish carries. */
  amendments?: { experiment: string; reasons: string[] }[];
  /** SHA-256 of the canonical JSON of the whole ruleset made current; a stored version is checked against it. */
  rulesetSha256?: string;
  prevHash: string;
  hash: string;
}

/** apply: a reviewed plan; rollback: an earlier version again; stop: one experiment stopped at once (break glass). */
/** `guard`: `exp serve` broke glass on a guard breach (guard-break.ts); `guard_advance`: it took a gated rollout step (guard-advance.ts). */
export type AuditAction = "apply" | "rollback" | "stop" | "guard" | "guard_advance";

/** What a caller supplies; seq, prevHash and hash follow from the log. */
export type AuditEntry = Omit<AuditRecord, "seq" | "prevHash" | "hash">;

export const GENESIS_HASH = "0".repeat(64);

export function hashAuditRecord(record: Omit<AuditRecord, "hash"> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = record;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/** The hash an audit record keeps of the ruleset it made current. */
export function rulesetSha256(ruleset: unknown): string {
  return createHash("sha256").update(canonicalJson(ruleset)).digest("hex");
}

/** The record that follows `previous` (or starts the log). */
export function chainAuditRecord(previous: AuditRecord | undefined, entry: AuditEntry): AuditRecord {
  const unsigned = ordered({
    ...entry,
    seq: previous ? previous.seq + 1 : 1,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  });
  return { ...unsigned, hash: hashAuditRecord(unsigned) };
}

/** One JSON line with a fixed key order, so the file reads the same way the record is documented. */
export function formatAuditLine(record: AuditRecord): string {
  return `${JSON.stringify({ ...ordered(record), hash: record.hash })}\n`;
}

/** The documented key order; the optional fields appear only when set (older records lack them). */
function ordered(r: Omit<AuditRecord, "hash">): Omit<AuditRecord, "hash"> {
  const out: Omit<AuditRecord, "hash"> = {
    seq: r.seq,
    ts: r.ts,
    actor: r.actor,
    sourceCommit: r.sourceCommit,
    fromVersion: r.fromVersion,
    toVersion: r.toVersion,
    action: r.action,
    summary: r.summary,
    prevHash: r.prevHash,
  };
  if (r.environment !== undefined) out.environment = r.environment;
  if (r.dirty !== undefined) out.dirty = r.dirty;
  if (r.contentChecksum !== undefined) out.contentChecksum = r.contentChecksum;
  if (r.amendments !== undefined) out.amendments = r.amendments;
  if (r.rulesetSha256 !== undefined) out.rulesetSha256 = r.rulesetSha256;
  // prevHash last among the signed fields, as documented.
  const { prevHash, ...rest } = out;
  return { ...rest, prevHash };
}
