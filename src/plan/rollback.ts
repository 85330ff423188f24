import type { AuditRecord } from "./audit.js";
import { appendAuditEntry, reconcileAudit } from "./audit-append.js";
import { verifyAuditChain } from "./audit-verify.js";
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
  const handle = await target.lock(request.actor, { timeoutMs: request.lockTimeoutMs });
  try {
    const chain = verifyAuditChain(await target.auditText());
    if (!chain.ok)
      throw new PublishError(
        stateCodes.auditChainBroken,
        `the audit log is broken, refusing to roll back: ${chain.message}`,
        "run `exp audit verify` and restore the log from a backup",
      );
    await reconcileAudit(target, request.actor, request.now);
    const current = await target.current();
    if (!current)
      throw new PublishError(
        stateCodes.nothingToRollBack,
        `nothing is published in ${target.description}, so there is nothing to roll back`,
      );
    const stored = await target.versions();
    const served = new Set((await target.audit()).map((r) => r.toVersion));
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
    });
    return {
      from: { version: current.version, checksum: current.checksum },
      to: { version: toVersion, checksum: activated.checksum, sourceCommit: activated.ruleset.sourceCommit ?? null },
      record,
      brokeStaleLock: handle.brokeStale,
    };
  } finally {
    await handle.release();
  }
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
