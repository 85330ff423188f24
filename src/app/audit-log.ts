import type { AuditRecord } from "../plan/audit.js";
import { verifyPublishedState } from "../plan/audit-check.js";
import { readAuditLines, type AuditVerdict } from "../plan/audit-verify.js";
import { readPublishLocation } from "../plan/target/config.js";
import { openPublishTarget } from "../plan/target/open.js";
import { verifier } from "../plan/prepare.js";

/** The audit records of the publish target of the workspace at or above `start` (of one environment with `environment`). */
export async function readAuditLog(start: string, environment?: string): Promise<{ target: string; records: AuditRecord[] }> {
  const { root, config } = readPublishLocation(start, environment);
  const target = openPublishTarget(config, root, { environment });
  return { target: target.description, records: records(await target.auditText()) };
}

export interface AuditCheck {
  target: string;
  /** `anchored`: the log's head was checked against the one the target records outside the log. */
  verdict: AuditVerdict & { anchored: boolean };
  /** Set when the chain is valid: the current version and the last one an audit record names. */
  currentVersion?: number;
  lastRecordedVersion?: number;
}

/**
 * Verifies the hash chain, that it reaches the head the target anchored outside the log, and that
 * every stored version is the ruleset its audit records hashed. A valid log can still be one
 * publish behind `current` (a publisher killed between the two writes, or a change made outside
 * exp); the versions let the caller say so.
 */
export async function verifyAuditLog(start: string, environment?: string): Promise<AuditCheck> {
  const { root, config } = readPublishLocation(start, environment);
  const target = openPublishTarget(config, root, { verify: verifier, environment });
  const verdict = await verifyPublishedState(target);
  const text = await target.auditText();
  if (!verdict.ok) return { target: target.description, verdict };
  const current = await target.current().catch(() => undefined);
  return { target: target.description, verdict, currentVersion: current?.version, lastRecordedVersion: records(text).at(-1)?.toVersion };
}

function records(text: string): AuditRecord[] {
  return readAuditLines(text).flatMap((l) => (l.record ? [l.record] : []));
}
