import { own } from "../ruleset/own.js";
import type { AuditRecord } from "./audit.js";
import { publishEdit } from "./publish-edit.js";
import { underPublishLock } from "./publish-lock.js";
import { stateCodes } from "./target/codes.js";
import { PublishError } from "./target/errors.js";
import type { LockOwner, PublishTarget } from "./target/target.js";

export interface StopRequest {
  experiment: string;
  /** Why, in the audit record (e.g. the breached guardrail). */
  reason: string;
  actor: string;
  now?: Date;
  lockTimeoutMs?: number;
}

export interface StopOutcome {
  fromVersion: number;
  toVersion: number;
  checksum: string;
  record: AuditRecord;
  brokeStaleLock?: LockOwner;
}

/**
 * Break glass: publishes the ruleset that is current now with one experiment stopped, and nothing
 * else changed, under the lock and with its own audit record. Units stop enrolling at once and flags
 * served from the experiment fall back to their next rule. Git still says `running`, so `exp plan`
 * reports drift (and refuses to restart it without a phase bump) until the same change is merged.
 */
export async function stopPublishedExperiment(target: PublishTarget, request: StopRequest): Promise<StopOutcome> {
  const o = { actor: request.actor, doing: "stop an experiment", now: request.now, timeoutMs: request.lockTimeoutMs };
  return underPublishLock(target, o, async (handle) => {
    const current = await target.current();
    if (!current)
      throw new PublishError(stateCodes.nothingToStop, `nothing is published in ${target.description}, so nothing can be stopped`);
    const published = own(current.ruleset.experiments, request.experiment);
    if (!published) {
      const keys = Object.keys(current.ruleset.experiments).sort();
      throw new PublishError(
        stateCodes.nothingToStop,
        `experiment "${request.experiment}" is not in the published version ${current.version}`,
        `published experiments: ${keys.join(", ") || "none"}`,
      );
    }
    if (published.status !== "running" && published.status !== "paused")
      throw new PublishError(
        stateCodes.nothingToStop,
        `experiment "${request.experiment}" is ${published.status} in the published version ${current.version}; only a running or paused experiment can be stopped`,
      );
    const now = request.now ?? new Date();
    const summary = `stopped experiment "${request.experiment}": ${request.reason}`;
    const edit = await publishEdit(target, current, { actor: request.actor, now, action: "stop", summary }, (ruleset) => {
      ruleset.experiments[request.experiment]!.status = "stopped";
      // As the compiler does for a stopped experiment: its layer slots are released.
      for (const layer of Object.values(ruleset.layers)) delete layer.slots[request.experiment];
    });
    return { ...edit, brokeStaleLock: handle.brokeStale };
  });
}
