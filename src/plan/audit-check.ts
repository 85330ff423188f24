import { rulesetSha256, type AuditRecord } from "./audit.js";
import { readAuditLines, verifyAuditChain, type AuditVerdict } from "./audit-verify.js";
import { PublishError } from "./target/errors.js";
import { stateCodes } from "./target/codes.js";
import type { PublishTarget, PublishedRuleset } from "./target/target.js";

/** The log of `target` verified against the head the target anchors outside it (when it keeps one). */
export async function verifyTargetAudit(target: PublishTarget): Promise<AuditVerdict & { anchored: boolean }> {
  const text = await target.auditText();
  let anchor;
  try {
    anchor = await target.auditAnchor?.();
  } catch (err) {
    if (!(err instanceof PublishError)) throw err;
    return { ok: false, count: 0, line: 0, reason: "anchor", message: err.message, anchored: false };
  }
  return { ...verifyAuditChain(text, anchor), anchored: anchor !== undefined };
}

/**
 * Refuses to `doing` (e.g. "apply") on a log that does not verify: a new valid link would hide where
 * the tampering happened.
 */
export async function assertAuditIntact(target: PublishTarget, doing: string): Promise<void> {
  const verdict = await verifyTargetAudit(target);
  if (!verdict.ok)
    throw new PublishError(
      stateCodes.auditChainBroken,
      `the audit log is broken, refusing to ${doing}: ${verdict.message}`,
      "run `exp audit verify` and restore the log (and the current pointer) from a backup or from git history",
    );
}

/**
 * The first record that made `stored` current with a different ruleset hash: the version file was
 * changed after it was published, even if its checksum was recomputed to match. Records written
 * before hashes were recorded cannot tell and are skipped.
 */
export function recordContradicting(stored: PublishedRuleset, records: readonly AuditRecord[]): AuditRecord | undefined {
  const actual = rulesetSha256(stored.ruleset);
  return records.find((r) => r.toVersion === stored.version && r.rulesetSha256 !== undefined && r.rulesetSha256 !== actual);
}

export function tamperedVersionMessage(stored: PublishedRuleset, record: AuditRecord, where: string): string {
  return `version ${stored.version} in ${where} is not the ruleset that audit record seq ${record.seq} made current (its SHA-256 is ${short(rulesetSha256(stored.ruleset))}, the record says ${short(record.rulesetSha256!)}): it was changed after it was published`;
}

/**
 * `exp audit verify`: the anchored chain, then every stored version against the records that made
 * it current. Each version is read through the target, so its schema and checksum are checked too.
 */
export async function verifyPublishedState(target: PublishTarget): Promise<AuditVerdict & { anchored: boolean }> {
  const verdict = await verifyTargetAudit(target);
  if (!verdict.ok) return verdict;
  const lines = readAuditLines(await target.auditText());
  const records = lines.map((l) => l.record!);
  const lineOf = (version: number) => lines.find((l) => l.record!.toVersion === version)?.line ?? lines.length + 1;
  const versions = await target.versions();
  const newest = Math.max(0, ...versions);
  for (const version of versions) {
    let stored: PublishedRuleset | undefined;
    try {
      stored = await target.get(version);
    } catch (err) {
      if (!(err instanceof PublishError)) throw err;
      return { ...failure(verdict.count, lineOf(version), err.message), anchored: verdict.anchored };
    }
    // Every publish appends the record that made its version current. Only the newest version may lack
    // one (an apply cut short before it appended: the lag noted below, recorded by the next apply);
    // an older one without a record means the log lost records, deleted along with its anchor.
    if (stored && version !== newest && !records.some((r) => r.toVersion === version))
      return {
        ...failure(
          verdict.count,
          lines.length + 1,
          `version ${version} in ${target.description} has no audit record that made it current: the log was deleted or rewritten`,
        ),
        anchored: verdict.anchored,
      };
    const contradicting = stored && recordContradicting(stored, records);
    if (stored && contradicting)
      return {
        ...failure(
          verdict.count,
          lines.find((l) => l.record!.seq === contradicting.seq)!.line,
          tamperedVersionMessage(stored, contradicting, target.description),
          contradicting.seq,
        ),
        anchored: verdict.anchored,
      };
  }
  return verdict;
}

function failure(count: number, line: number, message: string, seq?: number): AuditVerdict {
  return { ok: false, count, line, reason: "version", message, ...(seq !== undefined ? { seq } : {}) };
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}
