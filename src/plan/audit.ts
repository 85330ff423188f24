import { createHash } from "node:crypto";
import { canonicalJson } from "../ruleset/canonical-json.js";

/**
 * One line of the audit log. `hash` is the SHA-256 of the canonical JSON of every other field, and
 * `prevHash` is the previous record's hash, so editing, deleting or reordering a line breaks the chain.
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
  prevHash: string;
  hash: string;
}

export type AuditAction = "apply" | "rollback";

/** What a caller supplies; seq, prevHash and hash follow from the log. */
export type AuditEntry = Omit<AuditRecord, "seq" | "prevHash" | "hash">;

export const GENESIS_HASH = "0".repeat(64);

export function hashAuditRecord(record: Omit<AuditRecord, "hash"> & { hash?: string }): string {
  const { hash: _ignored, ...rest } = record;
  return createHash("sha256").update(canonicalJson(rest)).digest("hex");
}

/** The record that follows `previous` (or starts the log). */
export function chainAuditRecord(previous: AuditRecord | undefined, entry: AuditEntry): AuditRecord {
  const unsigned = {
    seq: previous ? previous.seq + 1 : 1,
    ts: entry.ts,
    actor: entry.actor,
    sourceCommit: entry.sourceCommit,
    fromVersion: entry.fromVersion,
    toVersion: entry.toVersion,
    action: entry.action,
    summary: entry.summary,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...unsigned, hash: hashAuditRecord(unsigned) };
}

/** One JSON line with a fixed key order, so the file reads the same way the record is documented. */
export function formatAuditLine(record: AuditRecord): string {
  const ordered: AuditRecord = {
    seq: record.seq,
    ts: record.ts,
    actor: record.actor,
    sourceCommit: record.sourceCommit,
    fromVersion: record.fromVersion,
    toVersion: record.toVersion,
    action: record.action,
    summary: record.summary,
    prevHash: record.prevHash,
    hash: record.hash,
  };
  return `${JSON.stringify(ordered)}\n`;
}
