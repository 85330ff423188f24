import { rulesetContentChecksum } from "../ruleset/checksum.js";
import type { Ruleset } from "../ruleset/types.js";
import { appendAuditEntry } from "./audit-append.js";
import { rulesetSha256, type AuditRecord } from "./audit.js";
import { underPublishLock } from "./publish-lock.js";
import type { Plan } from "./model.js";
import { stateCodes } from "./target/codes.js";
import { PublishError } from "./target/errors.js";
import type { LockHandle, LockOwner, PublishTarget } from "./target/target.js";

export interface ApplyRequest {
  plan: Plan;
  /** Builds the ruleset to publish for a version number (compiled from the same workspace the plan saw). */
  build(version: number): Ruleset;
  actor: string;
  now?: Date;
  lockTimeoutMs?: number;
  /** A lock the caller already holds (taken before planning, so plan and publish see one state). */
  held?: LockHandle;
  /**
   * Whether the workspace definitions differ from the ruleset's `sourceCommit` (uncommitted
   * changes): the audit record then says so, next to the content checksum of what was published.
   */
  dirty?: boolean;
}

export interface ApplyOutcome {
  fromVersion: number | null;
  toVersion: number;
  checksum: string;
  record: AuditRecord;
  brokeStaleLock?: LockOwner;
}

/**
 * Publishes a plan under the target lock: refuses a stale plan (the target moved since it was made)
 * and a plan whose desired ruleset no longer matches the workspace, then publishes atomically and
 * appends the hash-chained audit record.
 */
export async function applyPlan(target: PublishTarget, req: ApplyRequest): Promise<ApplyOutcome> {
  return underPublishLock(
    target,
    { actor: req.actor, doing: "apply", now: req.now, timeoutMs: req.lockTimeoutMs, held: req.held },
    async (handle) => {
      const current = await target.current();
      if ((current?.version ?? null) !== req.plan.basedOnVersion || (current?.checksum ?? null) !== req.plan.basedOnChecksum) {
        const now = current ? `v${current.version} is published now` : "nothing is published now";
        const was = req.plan.basedOnVersion === null ? "nothing published" : `v${req.plan.basedOnVersion}`;
        throw new PublishError(
          stateCodes.publishConflict,
          `the plan is stale; run exp plan again (it was made against ${was}, but ${now})`,
          "run `exp plan --out plan.json` and apply the new plan",
        );
      }
      const versions = await target.versions();
      const version = Math.max(0, ...versions) + 1;
      const ruleset = req.build(version);
      if (rulesetContentChecksum(ruleset) !== req.plan.desiredChecksum) {
        throw new PublishError(
          stateCodes.publishConflict,
          "the workspace changed since the plan was made; run exp plan again",
          "run `exp plan --out plan.json` and apply the new plan",
        );
      }
      const published = await target.publish(ruleset, {
        expectedVersion: current?.version,
        expectedChecksum: current?.checksum,
      });
      const s = req.plan.summary;
      const record = await appendAuditEntry(target, {
        ts: (req.now ?? new Date()).toISOString(),
        actor: req.actor,
        sourceCommit: ruleset.sourceCommit ?? null,
        fromVersion: current?.version ?? null,
        toVersion: version,
        action: "apply",
        summary: `${s.create} created, ${s.update} updated, ${s.delete} deleted${s.replace ? `, ${s.replace} replaced` : ""}`,
        dirty: req.dirty ?? false,
        contentChecksum: rulesetContentChecksum(ruleset),
        ...(req.plan.amendments?.length ? { amendments: req.plan.amendments } : {}),
        rulesetSha256: rulesetSha256(published.ruleset),
      });
      return {
        fromVersion: current?.version ?? null,
        toVersion: version,
        checksum: published.checksum,
        record,
        brokeStaleLock: handle.brokeStale,
      };
    },
  );
}
