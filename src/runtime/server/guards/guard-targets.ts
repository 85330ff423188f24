import { ROLLOUT_ARMS, type Ruleset, type RulesetExperiment, type RulesetGuard } from "../../../ruleset/types.js";
import { rolloutPhase, timedSteps } from "../../rollout-phase.js";

/** What a guard guards: an experiment, or one rollout rule of a flag (by name and position). */
export type GuardedChange = { experiment: string } | { flag: string; rule: string; ruleIndex: number };

/** A guard of the served ruleset, with the comparison its live summary makes. */
export interface GuardTarget {
  guard: RulesetGuard;
  change: GuardedChange;
  /**
   * The experiment as served; for a rollout, its two arms at the step in force (the phase its
   * exposures are logged under), weighted by that step's percentage.
   */
  comparison: RulesetExperiment;
  /** A rollout's next step when the guard gates it (no `at` yet) and a step with both arms is in force. */
  gated?: { step: number; afterUnits: number };
}

/** Every guard of `ruleset` at `at`: experiments first, then rollouts, each in ruleset order. */
export function guardTargets(ruleset: Ruleset, at: number): GuardTarget[] {
  const out: GuardTarget[] = [];
  for (const [experiment, e] of Object.entries(ruleset.experiments))
    if (e.guard) out.push({ guard: e.guard, change: { experiment }, comparison: e });
  for (const [flag, f] of Object.entries(ruleset.flags))
    f.rules.forEach((r, ruleIndex) => {
      if (r.kind !== "rollout" || !r.guard) return;
      const phase = rolloutPhase(timedSteps(r.steps), at);
      const traffic = phase > 0 ? r.steps[phase - 1]!.traffic : 0;
      const next = phase > 0 ? r.steps[phase] : undefined;
      const gated = next?.at === undefined && next?.afterUnits !== undefined ? { step: phase + 1, afterUnits: next.afterUnits } : undefined;
      out.push({
        ...(gated ? { gated } : {}),
        guard: r.guard,
        change: { flag, rule: r.name, ruleIndex },
        comparison: {
          status: "running",
          phase,
          unit: "user",
          schedule: {},
          holdout: r.holdout,
          traffic: 10000,
          variants: [
            { key: ROLLOUT_ARMS.control, weight: 10000 - traffic },
            { key: ROLLOUT_ARMS.treatment, weight: traffic },
          ],
        },
      });
    });
  return out;
}

/** The guarded rollout rule whose guard has `key`, if the ruleset has one. */
export function guardedRollout(
  ruleset: Ruleset,
  key: string,
): { flag: string; rule: Extract<Ruleset["flags"][string]["rules"][number], { kind: "rollout" }> } | undefined {
  for (const [flag, f] of Object.entries(ruleset.flags))
    for (const rule of f.rules) if (rule.kind === "rollout" && rule.guard?.key === key) return { flag, rule };
  return undefined;
}
