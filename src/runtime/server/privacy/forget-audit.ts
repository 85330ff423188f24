import { join } from "node:path";
import { appendRecord } from "./append-record.js";

/** One `exp forget`: who, when, which units (as digests of their stored ids, never the ids) and what went. */
export interface ForgetAuditRecord {
  ts: string;
  actor: string;
  /** SHA-256 of each stored unit id (unit-id-hash.ts storedIdDigest), as in the tombstone list. */
  units: string[];
  removed: Record<string, unknown>;
}

export function forgetAuditPath(dataDir: string): string {
  return join(dataDir, "privacy", "forget-audit.ndjson");
}

/** Appends the record as one line and fsyncs it: the deletion is on record once the command says so. */
export function appendForgetAudit(dataDir: string, record: ForgetAuditRecord): Promise<void> {
  return appendRecord(forgetAuditPath(dataDir), record);
}
