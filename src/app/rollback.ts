import type { AuditRecord } from "../plan/audit.js";
import { resolveActor } from "../plan/audit-actor.js";
import { verifier } from "../plan/prepare.js";
import { rollback } from "../plan/rollback.js";
import { readPublishLocation } from "../plan/target/config.js";
import { openPublishTarget } from "../plan/target/open.js";
import type { LockOwner } from "../plan/target/target.js";

/** What `exp rollback` reports (its JSON view). */
export interface RollbackView {
  ok: true;
  target: string;
  /** The environment rolled back; absent without environments. */
  environment?: string;
  fromVersion: number;
  toVersion: number;
  checksum: string;
  sourceCommit: string | null;
  audit: AuditRecord;
}

/**
 * Makes a stored ruleset version current again (default: the one before current) under the publish
 * lock, and audits it. The version rolled back to must still pass the compiler's verification.
 */
export async function rollbackPublished(
  start: string,
  o: {
    to?: number;
    lockTimeoutMs: number;
    onStaleLockBroken?: (owner: LockOwner) => void;
    env?: NodeJS.ProcessEnv;
    /** The exp.yaml environment whose published state is rolled back (`--env`); the others stay as they are. */
    environment?: string;
  },
): Promise<RollbackView> {
  const { root, config } = readPublishLocation(start, o.environment);
  const target = openPublishTarget(config, root, { verify: verifier, onStaleLockBroken: o.onStaleLockBroken, environment: o.environment });
  const actor = await resolveActor(root, o.env);
  const outcome = await rollback(target, { to: o.to, actor, lockTimeoutMs: o.lockTimeoutMs });
  return {
    ok: true,
    target: target.description,
    ...(o.environment !== undefined ? { environment: o.environment } : {}),
    fromVersion: outcome.from.version,
    toVersion: outcome.to.version,
    checksum: outcome.to.checksum,
    sourceCommit: outcome.to.sourceCommit,
    audit: outcome.record,
  };
}
