import { rulesetSha256, type AuditRecord } from "./audit.js";
import { appendAuditEntry } from "./audit-append.js";
import { underPublishLock } from "./publish-lock.js";
import { recordContradicting, tamperedVersionMessage } from "./audit-check.js";
import type { LockOwner, PublishTarget, PublishedRuleset } from "./target/target.js";
import { PublishError } from "./target/errors.js";
import { stateCodes } from "./target/codes.js";

export interface RollbackRequest {
  /** The version to make current; default: the highest version below current that was served. */
  to?: number;
  actor: string;
  now?: Date;
  lockTimeoutMs?: number;
}

export interface RollbackOutcome {
  from: { version: number; checksum: string };
  to: { version: number; checksum: string; sourceCommit: string | null };
  record: AuditRecord;
  brokeStaleLock?: LockOwner;
}

/**
 * Re-points `current` to a stored version instead of publishing a copy under a new number: the
 * ruleset that served before is served again byte for byte, the version history stays honest, and
 * the next `exp plan` sees that the published version differs from git (drift) until git matches.
 */
export async function rollback(target: PublishTarget, request: RollbackRequest): Promise<RollbackOutcome> {
  const o = { actor: request.actor, doing: "roll back", now: request.now, timeoutMs: request.lockTimeoutMs };
  return underPublishLock(target, o, async (handle) => {
    const current = await target.current();
    if (!current)
      throw new PublishError(
        stateCodes.nothingToRollBack,
        `nothing is published in ${target.description}, so there is nothing to roll back`,
      );
    const stored = await target.versions();
    const records = await target.audit();
    const served = new Set(records.map((r) => r.toVersion));
    const toVersion = request.to ?? previousVersion(stored, current.version, served);
    if (toVersion === undefined)
      throw new PublishError(
        stateCodes.nothingToRollBack,
        `version ${current.version} is the oldest stored version in ${target.description}; there is nothing before it`,
      );
    if (toVersion === current.version)
      throw new PublishError(
        stateCodes.unknownVersion,
        `version ${toVersion} is already current in ${target.description}`,
        `pick another version with --to (stored: ${stored.join(", ")})`,
      );
    if (!stored.includes(toVersion))
      throw new PublishError(
        stateCodes.unknownVersion,
        `version ${toVersion} is not stored in ${target.description}`,
        `stored versions: ${stored.join(", ") || "none"}${nearest(stored, toVersion)}`,
      );
    await checkRestorable(target, toVersion, records);
    const activated: PublishedRuleset = await target.activate(toVersion, {
      expectedVersion: current.version,
      expectedChecksum: current.checksum,
    });
    const record = await appendAuditEntry(target, {
      ts: (request.now ?? new Date()).toISOString(),
      actor: request.actor,
      sourceCommit: activated.ruleset.sourceCommit ?? null,
      fromVersion: current.version,
      toVersion,
      action: "rollback",
      summary: `rolled back from version ${current.version} to version ${toVersion}`,
      rulesetSha256: rulesetSha256(activated.ruleset),
    });
    return {
      from: { version: current.version, checksum: current.checksum },
      to: { version: toVersion, checksum: activated.checksum, sourceCommit: activated.ruleset.sourceCommit ?? null },
      record,
      brokeStaleLock: handle.brokeStale,
    };
  });
}

/**
 * A rollback serves a version again without review, so it must be exactly what was once served: read
 * through the target (schema and checksum) and with the ruleset hash the audit records that made it
 * current hold, so a version file edited with a recomputed checksum is refused.
 */
async function checkRestorable(target: PublishTarget, version: number, records: AuditRecord[]): Promise<void> {
  const stored = await target.get(version);
  if (!stored) return;
  const contradicting = recordContradicting(stored, records);
  if (contradicting)
    throw new PublishError(
      stateCodes.rulesetRejected,
      tamperedVersionMessage(stored, contradicting, target.description),
      "restore the file from a backup or from git history, or roll back to another version with --to",
    );
}

/**
 * The highest version below current that was ever current. Versions written by an interrupted
 * publish were never served, so they are skipped; going strictly downwards means that a repeated
 * rollback (say, by a guardrail workflow) never swings back to the version it fled.
 */
function previousVersion(stored: number[], current: number, served: Set<number>): number | undefined {
  const below = stored.filter((v) => v < current);
  const wereServed = below.filter((v) => served.has(v));
  const pool = wereServed.length ? wereServed : below;
  return pool.length ? pool[pool.length - 1] : undefined;
}

function nearest(stored: number[], wanted: number): string {
  if (!stored.length) return "";
  const best = stored.reduce((a, b) => (Math.abs(b - wanted) < Math.abs(a - wanted) ? b : a));
  return `; did you mean ${best}?`;
}
