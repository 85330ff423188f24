import type { Ruleset } from "../ruleset/types.js";
import type { Attributes } from "./condition.js";
import { EvaluationScope, NO_ATTRIBUTES, type Assign, type Evaluate } from "./evaluation-scope.js";
import { compileExperiment } from "./experiment.js";
import { compileFlag } from "./flag.js";
import type { AssignmentReason, AssignmentResult, EvaluateAllResult, FlagResult } from "./result.js";
import { sessionIdOf, userIdOf, type UnitRef } from "./unit-ids.js";

/**
 * Turns a ruleset into closures once; evaluation then only hashes and walks precomputed arrays.
 * Flag results and reason lists are precomputed, frozen and shared, so a flag evaluation allocates
 * nothing and an assignment allocates its result object only. Time is injectable (`at`, ms since epoch).
 * A unit is its id, or `{userId, sessionId}` when session experiments may be asked (unit-ids.ts).
 */
export interface Evaluator {
  readonly ruleset: Ruleset;
  assign(experiment: string, unit: UnitRef, attrs?: Attributes, at?: number): AssignmentResult;
  evaluate(flag: string, unit: UnitRef, attrs?: Attributes, at?: number): FlagResult;
  evaluateAll(unit: UnitRef, attrs?: Attributes, at?: number): EvaluateAllResult;
  hasExperiment(key: string): boolean;
  hasFlag(key: string): boolean;
}

const NOT_FOUND: readonly AssignmentReason[] = Object.freeze(["experiment_not_found"]);

/**
 * Compiles every experiment (experiment.ts) and flag (flag.ts) of the ruleset into one shared
 * evaluation scope (evaluation-scope.ts), then answers by key.
 */
export function createEvaluator(ruleset: Ruleset): Evaluator {
  const scope = new EvaluationScope(ruleset);
  const assigners = new Map<string, Assign>();
  const evaluators = new Map<string, Evaluate>();
  for (const [key, e] of Object.entries(ruleset.experiments)) {
    const assign = compileExperiment(key, e, scope);
    assigners.set(key, assign);
    scope.assigners.push(assign);
  }
  for (const [key, f] of Object.entries(ruleset.flags)) {
    const evaluate = compileFlag(key, f, scope);
    evaluators.set(key, evaluate);
    scope.evaluators.push(evaluate);
  }
  const evaluateAll = compileEvaluateAll(scope);

  return {
    ruleset,
    assign(experiment, unit, attrs = NO_ATTRIBUTES, at = Date.now()) {
      const a = assigners.get(experiment);
      const user = userIdOf(unit);
      if (!a)
        return { experiment, variant: null, config: null, url: null, inExperiment: false, reasons: NOT_FOUND, bucket: null, hashKey: user };
      scope.session = sessionIdOf(unit);
      return a(user, attrs, at);
    },
    evaluate(flag, unit, attrs = NO_ATTRIBUTES, at = Date.now()) {
      const e = evaluators.get(flag);
      if (!e) return { flag, value: null, variant: null, reason: "flag_not_found", rule: null };
      scope.session = sessionIdOf(unit);
      return e(userIdOf(unit), attrs, at);
    },
    evaluateAll: (unit, attrs = NO_ATTRIBUTES, at = Date.now()) => {
      scope.session = sessionIdOf(unit);
      return evaluateAll(userIdOf(unit), attrs, at);
    },
    hasExperiment: (k) => assigners.has(k),
    hasFlag: (k) => evaluators.has(k),
  };
}

/** Every experiment and flag for one unit, keys sorted, each computed once (the scope's memo). */
function compileEvaluateAll(scope: EvaluationScope): (unit: string, attrs: Attributes, at: number) => EvaluateAllResult {
  const experimentKeys = [...scope.experimentSlots.keys()].sort();
  const experimentSlots = experimentKeys.map((k) => scope.experimentSlots.get(k)!);
  const flagKeys = [...scope.flagSlots.keys()].sort();
  const flagSlots = flagKeys.map((k) => scope.flagSlots.get(k)!);
  // Cloning a template gives every result object its final shape at once (no per-key transitions).
  const experimentTemplate: Record<string, AssignmentResult | null> = Object.fromEntries(experimentKeys.map((k) => [k, null]));
  const flagTemplate: Record<string, FlagResult | null> = Object.fromEntries(flagKeys.map((k) => [k, null]));
  return (unit, attrs, at) => {
    const experiments = { ...experimentTemplate };
    const flags = { ...flagTemplate };
    scope.openMemo(unit, attrs, at);
    try {
      for (let j = 0; j < experimentKeys.length; j++)
        experiments[experimentKeys[j]!] = scope.assignAt(experimentSlots[j]!, unit, attrs, at);
      for (let j = 0; j < flagKeys.length; j++) flags[flagKeys[j]!] = scope.flagAt(flagSlots[j]!, unit, attrs, at);
    } finally {
      scope.closeMemo();
    }
    // Every key now holds its result; none is left null.
    return { experiments: experiments as Record<string, AssignmentResult>, flags: flags as Record<string, FlagResult> };
  };
}
