import type { Ruleset, RulesetStep } from "../ruleset/types.js";
import { publishEdit, type PublishedEdit } from "./publish-edit.js";
import { underPublishLock } from "./publish-lock.js";
import type { PublishTarget } from "./target/target.js";

/** A gated rollout step a server guard takes (docs/file-formats.md#gated-steps). */
export interface GuardAdvanceRequest {
  /** The guard's key, `rollout:<flag>:<rule>`. */
  guard: string;
  /** The 1-based step to take. */
  step: number;
  /** What the guard saw, in the audit record. */
  reason: string;
  actor: string;
  now: Date;
  lockTimeoutMs?: number;
}

/** The guard key and step in the summary of an audit record of action `guard_advance`. */
export const GUARD_ADVANCE_SUMMARY = /^guard "([^"]+)" took step (\d+)/;

/**
 * Takes a gated rollout step: publishes the ruleset that is current now with only that step given
 * `at` = now, under the lock and with an audit record of action `guard_advance`, as break glass does
 * (guard-break.ts). Git still has the step without a date, so `exp plan` reports drift until the
 * guardrail workflow's change (`exp guardrails --guards`) is merged and applied. Undefined when the
 * step is already taken or the published ruleset has no such gated step.
 */
export async function advanceGatedStep(target: PublishTarget, request: GuardAdvanceRequest): Promise<PublishedEdit | undefined> {
  const o = { actor: request.actor, doing: "take a gated rollout step", now: request.now, timeoutMs: request.lockTimeoutMs };
  return underPublishLock(target, o, async () => {
    const current = await target.current();
    if (!current || !gatedStep(current.ruleset, request)) return undefined;
    const summary = `guard "${request.guard}" took step ${request.step} of the rollout: ${request.reason}`;
    return publishEdit(target, current, { actor: request.actor, now: request.now, action: "guard_advance", summary }, (ruleset) => {
      gatedStep(ruleset, request)!.at = request.now.toISOString();
    });
  });
}

/** The untaken gated step of `ruleset` that the request names, or undefined. */
function gatedStep(ruleset: Ruleset, r: GuardAdvanceRequest): RulesetStep | undefined {
  for (const f of Object.values(ruleset.flags))
    for (const rule of f.rules) {
      if (rule.kind !== "rollout" || rule.guard?.key !== r.guard) continue;
      const step = rule.steps[r.step - 1];
      return step && step.at === undefined && step.afterUnits !== undefined ? step : undefined;
    }
  return undefined;
}
