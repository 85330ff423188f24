import { chainAuditRecord, type AuditEntry, type AuditRecord } from "./audit.js";
import { verifyAuditChain } from "./audit-verify.js";
import type { PublishTarget } from "./target/target.js";
import { PublishError } from "./target/errors.js";
import { stateCodes } from "./target/codes.js";

/**
 * Chains `entry` onto the target's log and appends it. The caller holds the target lock, so the log
 * cannot move between reading the head and appending. A broken chain is refused rather than
 * extended, because a new valid link would hide where the tampering happened.
 */
export async function appendAuditEntry(target: PublishTarget, entry: AuditEntry): Promise<AuditRecord> {
  const text = await target.auditText();
  const verdict = verifyAuditChain(text);
  if (!verdict.ok)
    throw new PublishError(
      stateCodes.auditChainBroken,
      `the audit log is broken, refusing to append: ${verdict.message}`,
      "run `exp audit verify` and restore the log from a backup",
    );
  const records = await target.audit();
  const record = chainAuditRecord(records[records.length - 1], entry);
  await target.appendAudit(record);
  return record;
}

/**
 * A publisher killed after moving `current` but before appending its record leaves the log one
 * publish behind. Run under the lock before the next publish: it records the orphaned change so
 * that every record's fromVersion is the previous record's toVersion.
 */
export async function reconcileAudit(target: PublishTarget, actor: string, now: Date = new Date()): Promise<AuditRecord | undefined> {
  const current = await target.current();
  if (!current) return undefined;
  const records = await target.audit();
  const head = records[records.length - 1];
  if (head?.toVersion === current.version) return undefined;
  return appendAuditEntry(target, {
    ts: now.toISOString(),
    actor,
    sourceCommit: current.ruleset.sourceCommit ?? null,
    fromVersion: head ? head.toVersion : null,
    toVersion: current.version,
    action: "apply",
    summary: `recorded late: version ${current.version} was made current by a publish that stopped before writing its audit record`,
  });
}
