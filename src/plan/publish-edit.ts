import { rulesetChecksum } from "../ruleset/checksum.js";
import type { Ruleset } from "../ruleset/types.js";
import { rulesetSha256, type AuditAction, type AuditRecord } from "./audit.js";
import { appendAuditEntry } from "./audit-append.js";

import type { PublishedRuleset, PublishTarget } from "./target/target.js";

/** What a break-glass change publishes: the ruleset current now, edited, as the next version. */
export interface PublishedEdit {
  fromVersion: number;
  toVersion: number;
  checksum: string;
  record: AuditRecord;
}

/**
 * Publishes `current` with `edit` applied to a copy, and nothing else changed, as the next version,
 * with an audit record of `action`: what `exp stop` and a server guard do under the lock they hold.
 */
export async function publishEdit(
  target: PublishTarget,
  current: PublishedRuleset,
  o: { actor: string; now: Date; action: AuditAction; summary: string },
  edit: (ruleset: Ruleset) => void,
): Promise<PublishedEdit> {
  const version = Math.max(0, ...(await target.versions())) + 1;
  const ruleset: Ruleset = structuredClone(current.ruleset);
  ruleset.version = version;
  ruleset.createdAt = o.now.toISOString();
  edit(ruleset);
  ruleset.checksum = rulesetChecksum(ruleset);
  const stored = await target.publish(ruleset, { expectedVersion: current.version, expectedChecksum: current.checksum });
  const record = await appendAuditEntry(target, {
    ts: o.now.toISOString(),
    actor: o.actor,
    sourceCommit: current.ruleset.sourceCommit ?? null,
    fromVersion: current.version,
    toVersion: version,
    action: o.action,
    summary: o.summary,
    rulesetSha256: rulesetSha256(stored.ruleset),
  });
  return { fromVersion: current.version, toVersion: version, checksum: stored.checksum, record };
}
