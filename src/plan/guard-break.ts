import type { Ruleset, RulesetGuard } from "../ruleset/types.js";
import { publishEdit, type PublishedEdit } from "./publish-edit.js";
import { underPublishLock } from "./publish-lock.js";
import type { PublishTarget } from "./target/target.js";

/** A breach a server guard acts on (docs/file-formats.md#guards). */
export interface GuardBreakRequest {
  /** The guard's key: an experiment's key, or `rollout:<flag>:<rule>`. */
  guard: string;
  action: RulesetGuard["action"];
  /** What the guard saw, in the audit record. */
  reason: string;
  actor: string;
  now: Date;
  lockTimeoutMs?: number;
}

/** The guard key in the summary of an audit record of action `guard`. */
export const GUARD_SUMMARY = /^guard "([^"]+)"/;

/** Every step of a rolled-back rollout: 0% since the epoch, so every unit it matches gets the default. */
const NEVER = { at: "1970-01-01T00:00:00.000Z", traffic: 0 };

/**
 * Break glass for a guard: publishes the ruleset that is current now with only the guarded change
 * stopped or held, under the lock and with an audit record of action `guard`. `rollback` stops an
 * experiment (its layer slots released, as `exp stop` does) or puts a rollout at 0% (its units get
 * the flag's default; the flag's other rules are untouched); `pause` pauses an experiment or keeps a
 * rollout at the step in force (later steps are dropped). Git still says otherwise, so `exp plan`
 * reports drift until the guardrail workflow's change is merged and applied. Undefined when the
 * published ruleset already has the change (a guard seen again after a restart) or no such guard.
 */
export async function breakGlassForGuard(target: PublishTarget, request: GuardBreakRequest): Promise<PublishedEdit | undefined> {
  const o = { actor: request.actor, doing: "act on a guard", now: request.now, timeoutMs: request.lockTimeoutMs };
  return underPublishLock(target, o, async () => {
    const current = await target.current();
    if (!current || !guardedChange(current.ruleset, request)) return undefined;
    const summary = `guard "${request.guard}" ${request.action === "rollback" ? "rolled back" : "paused"} the change: ${request.reason}`;
    // GUARD_SUMMARY reads the key back (the guardrail workflow writes the same change into git).
    return publishEdit(target, current, { actor: request.actor, now: request.now, action: "guard", summary }, (ruleset) =>
      guardedChange(ruleset, request)!(),
    );
  });
}

/** What breaking glass changes in `ruleset`, or undefined when there is nothing left to change. */
function guardedChange(ruleset: Ruleset, r: GuardBreakRequest): (() => void) | undefined {
  for (const [key, e] of Object.entries(ruleset.experiments)) {
    if (e.guard?.key !== r.guard) continue;
    const status = r.action === "rollback" ? "stopped" : "paused";
    if (e.status !== "running" && (e.status !== "paused" || status === "paused")) return undefined;
    return () => {
      e.status = status;
      if (status === "stopped") for (const layer of Object.values(ruleset.layers)) delete layer.slots[key];
    };
  }
  for (const f of Object.values(ruleset.flags))
    for (const rule of f.rules) {
      if (rule.kind !== "rollout" || rule.guard?.key !== r.guard) continue;
      const at = r.now.getTime();
      const kept = r.action === "rollback" ? [] : rule.steps.filter((s) => s.at !== undefined && Date.parse(s.at) <= at);
      const steps = kept.length > 0 ? kept : [NEVER];
      if (JSON.stringify(steps) === JSON.stringify(rule.steps)) return undefined;
      return () => {
        rule.steps = steps;
      };
    }
  return undefined;
}
