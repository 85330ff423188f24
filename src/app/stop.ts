import type { AuditRecord } from "../plan/audit.js";
import { resolveActor } from "../plan/audit-actor.js";
import { verifier } from "../plan/prepare.js";
import { stopPublishedExperiment } from "../plan/stop.js";
import { readPublishLocation } from "../plan/target/config.js";
import { openPublishTarget } from "../plan/target/open.js";
import type { LockOwner } from "../plan/target/target.js";

/** What `exp stop` reports (its JSON view). */
export interface StopView {
  ok: true;
  target: string;
  experiment: string;
  fromVersion: number;
  toVersion: number;
  checksum: string;
  audit: AuditRecord;
}

/** Stops one experiment in the published ruleset at once, under the publish lock, and audits it. */
export async function stopExperiment(
  start: string,
  o: {
    experiment: string;
    reason: string;
    lockTimeoutMs: number;
    onStaleLockBroken?: (owner: LockOwner) => void;
    env?: NodeJS.ProcessEnv;
    environment?: string;
  },
): Promise<StopView> {
  const { root, config } = readPublishLocation(start, o.environment);
  const target = openPublishTarget(config, root, { verify: verifier, onStaleLockBroken: o.onStaleLockBroken, environment: o.environment });
  const actor = await resolveActor(root, o.env);
  const outcome = await stopPublishedExperiment(target, {
    experiment: o.experiment,
    reason: o.reason,
    actor,
    lockTimeoutMs: o.lockTimeoutMs,
  });
  return {
    ok: true,
    target: target.description,
    experiment: o.experiment,
    fromVersion: outcome.fromVersion,
    toVersion: outcome.toVersion,
    checksum: outcome.checksum,
    audit: outcome.record,
  };
}
