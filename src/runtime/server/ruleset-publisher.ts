import { ExpError } from "../../diagnostics/errors.js";
import { stateCodes } from "../../plan/target/codes.js";
import type { PublishedRuleset } from "../../plan/target/target.js";
import type { Ruleset } from "../../ruleset/types.js";

/** A verified ruleset put to the server, with the request's preconditions and who asked. */
export interface RulesetPut {
  ruleset: Ruleset;
  /** `If-Match`, unquoted: the checksum or version number the client saw as current. */
  ifMatch?: string;
  /** `If-None-Match`: `*` publishes only when nothing is published yet. */
  ifNoneMatch?: string;
  /** The lock holder and audit actor. */
  actor: string;
}

export interface RulesetPutOutcome {
  /** `published`: a new version; `activated`: a stored version made current again; `unchanged`: it already was. */
  change: "published" | "activated" | "unchanged";
  current: PublishedRuleset;
}

/**
 * Publishes a put ruleset into the server's publish target: under the target's lock, with
 * compare-and-swap against the stored current version, only as the next version (or a stored one
 * with its stored checksum), and with an audit record. Passed in (src/app/server-publish.ts), as
 * the audit log lives beside the plan; it throws PublishErrors, which `publishStatus` maps.
 */
export type RulesetPublisher = (put: RulesetPut) => Promise<RulesetPutOutcome>;

/** The HTTP status of a publish failure: its code's meaning, or undefined for a server failure. */
export function publishStatus(err: unknown): number | undefined {
  switch (err instanceof ExpError ? err.code : undefined) {
    case stateCodes.publishConflict.code:
      return 412;
    case stateCodes.versionNotNewer.code:
    case stateCodes.targetLocked.code:
      return 409;
    case stateCodes.rulesetRejected.code:
    case stateCodes.unknownVersion.code:
      return 400;
    default:
      return undefined;
  }
}
