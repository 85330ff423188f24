import { defineCodes } from "../../diagnostics/codes.js";

/** Publish state: targets, the lock, the audit log and rollback (EXP49xx, inside the plan range). */
export const stateCodes = defineCodes({
  targetLocked: { code: "EXP4901", severity: "error", title: "the publish target is locked by another process" },
  staleLockBroken: { code: "EXP4902", severity: "warning", title: "a stale lock of a dead process was removed" },
  publishConflict: { code: "EXP4903", severity: "error", title: "the published version moved since the plan was made" },
  rulesetRejected: { code: "EXP4904", severity: "error", title: "a ruleset failed verification" },
  versionNotNewer: { code: "EXP4905", severity: "error", title: "a published version number was reused" },
  unknownVersion: { code: "EXP4906", severity: "error", title: "no such published ruleset version" },
  nothingToRollBack: { code: "EXP4907", severity: "error", title: "there is no earlier version to roll back to" },
  nothingToStop: { code: "EXP4908", severity: "error", title: "the experiment to stop is not running in the published version" },
  auditChainBroken: { code: "EXP4910", severity: "error", title: "the audit log hash chain is broken" },
  auditAppendConflict: { code: "EXP4911", severity: "error", title: "the audit log moved while a record was appended" },
  targetConfig: { code: "EXP4920", severity: "error", title: "runtime.publish in exp.yaml is invalid" },
  targetUnreachable: { code: "EXP4922", severity: "error", title: "the publish target refused or failed a request" },
});

export type StateCode = (typeof stateCodes)[keyof typeof stateCodes]["code"];
