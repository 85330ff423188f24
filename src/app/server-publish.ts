import { appendAuditEntry, reconcileAudit } from "../plan/audit-append.js";
import { verifyAuditChain } from "../plan/audit-verify.js";
import { stateCodes } from "../plan/target/codes.js";
import { PublishError } from "../plan/target/errors.js";
import type { PublishTarget, PublishedRuleset } from "../plan/target/target.js";
import type { RulesetPublisher, RulesetPut } from "../runtime/server/ruleset-publisher.js";

/**
 * What `PUT /v1/ruleset` does to the server's publish target, with the same guarantees as
 * `exp apply`: under the target's lock, against an intact audit log (reconciled first), with the
 * preconditions checked against the stored current version rather than the one being served, a
 * new ruleset only as the next version (highest stored + 1), a stored version only with its stored
 * checksum, and an audit record of its own. Failures are PublishErrors with their code; the server
 * turns them into HTTP statuses.
 */
export function serverPublisher(target: PublishTarget, o: { now?: () => Date; lockTimeoutMs?: number } = {}): RulesetPublisher {
  return async (put) => {
    const { ruleset, actor } = put;
    const version = ruleset.version;
    if (!Number.isSafeInteger(version) || version < 1)
      throw new PublishError(
        stateCodes.rulesetRejected,
        `the ruleset's version ${String(version)} is not a positive integer below 2^53`,
        "compile it again with exp apply",
      );
    // A publisher on this target (exp apply) is waited for briefly; the client retries a 409.
    const handle = await target.lock(actor, { timeoutMs: o.lockTimeoutMs ?? 5_000 });
    try {
      const chain = verifyAuditChain(await target.auditText());
      if (!chain.ok)
        throw new PublishError(
          stateCodes.auditChainBroken,
          `the audit log is broken, refusing to publish: ${chain.message}`,
          "run `exp audit verify` and restore the log from a backup",
        );
      const now = o.now?.() ?? new Date();
      await reconcileAudit(target, actor, now);
      const current = await target.current();
      checkPreconditions(current, put);
      const expect = { expectedVersion: current?.version, expectedChecksum: current?.checksum };
      const stored = await target.versions();
      const highest = stored.length ? stored[stored.length - 1]! : 0;
      const entry = { ts: now.toISOString(), actor, sourceCommit: ruleset.sourceCommit ?? null, fromVersion: current?.version ?? null };
      if (stored.includes(version)) {
        const same = await target.get(version);
        if (same?.checksum !== ruleset.checksum)
          throw new PublishError(
            stateCodes.versionNotNewer,
            `version ${version} is already stored with another checksum; versions are never reused`,
            `put it as version ${highest + 1}`,
          );
        if (current?.version === version) return { change: "unchanged", current };
        const activated = await target.activate(version, expect);
        const back = current !== undefined && version < current.version;
        await appendAuditEntry(target, {
          ...entry,
          toVersion: version,
          action: back ? "rollback" : "apply",
          summary: `version ${version} made current again through exp serve`,
        });
        return { change: "activated", current: activated };
      }
      if (version !== highest + 1)
        throw new PublishError(
          stateCodes.versionNotNewer,
          `ruleset version ${version} is not the next version of ${target.description}, which is ${highest + 1}`,
          `put it as version ${highest + 1}`,
        );
      const published = await target.publish(ruleset, expect);
      await appendAuditEntry(target, {
        ...entry,
        toVersion: version,
        action: "apply",
        summary: `version ${version} published through exp serve`,
      });
      return { change: "published", current: published };
    } finally {
      await handle.release();
    }
  };
}

/** `If-None-Match: *` wants nothing published; `If-Match` names the current checksum or version (RFC 9110 §13.1). */
function checkPreconditions(current: PublishedRuleset | undefined, put: RulesetPut): void {
  if (put.ifNoneMatch === "*" && current)
    throw new PublishError(stateCodes.publishConflict, `a ruleset is already published (version ${current.version})`);
  const want = put.ifMatch;
  if (want === undefined || want === "" || (want === "*" && current)) return;
  if (!current) throw new PublishError(stateCodes.publishConflict, "nothing is published yet, so If-Match cannot match");
  if (want !== current.checksum && want !== String(current.version))
    throw new PublishError(stateCodes.publishConflict, `the published ruleset moved: version ${current.version} is current`);
}
