import { chainAuditRecord, rulesetSha256, type AuditEntry, type AuditRecord } from "./audit.js";
import { assertAuditIntact } from "./audit-check.js";
import type { PublishTarget } from "./target/target.js";
import { PublishError } from "./target/errors.js";

/**
 * Chains `entry` onto the target's log and appends it. The caller holds the target lock, so the log
 * cannot move between reading the head and appending. A broken chain (or one that no longer reaches
 * the head the target anchored) is refused rather than extended, because a new valid link would hide
 * where the tampering happened. An entry without `rulesetSha256` gets the hash of the stored version
 * it names, so the version can be checked against the log later.
 */
export async function appendAuditEntry(target: PublishTarget, entry: AuditEntry): Promise<AuditRecord> {
  await assertAuditIntact(target, "append");
  const records = await target.audit();
  const hashed = entry.rulesetSha256 === undefined ? { ...entry, rulesetSha256: await storedHash(target, entry.toVersion) } : entry;
  const full =
    target.environment !== undefined && hashed.environment === undefined ? { ...hashed, environment: target.environment } : hashed;
  const record = chainAuditRecord(records[records.length - 1], full);
  await target.appendAudit(record);
  return record;
}

async function storedHash(target: PublishTarget, version: number): Promise<string | undefined> {
  try {
    const stored = await target.get(version);
    return stored ? rulesetSha256(stored.ruleset) : undefined;
  } catch (err) {
    // A version that cannot be read is recorded without a hash; verification reports the version itself.
    if (err instanceof PublishError) return undefined;
    throw err;
  }
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
    rulesetSha256: rulesetSha256(current.ruleset),
  });
}
