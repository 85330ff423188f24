import { bucketerFor } from "../ruleset/hash.js";
import type { RulesetRule } from "../ruleset/types.js";
import { compileCondition, type Attributes } from "./condition.js";
import type { EvaluationScope } from "./evaluation-scope.js";
import type { FlagResults } from "./flag-results.js";
import { instant } from "./instant.js";
import type { FlagResult } from "./result.js";

/** A compiled rule: the result it decides, or undefined to fall through to the next rule. */
export type Rule = (unit: string, attrs: Attributes, at: number) => FlagResult | undefined;

/** One rule of flag `flagKey` as a closure: serve a variant, roll one out by bucket, or follow an experiment. */
export function compileRule(r: RulesetRule, flagKey: string, defaultVariant: string, results: FlagResults, scope: EvaluationScope): Rule {
  const when = compileCondition(r.when, scope);
  switch (r.kind) {
    case "serve": {
      const hit = results.of(r.variant, "rule_match", r.name);
      return (u, a, t) => (when(u, a, t) ? hit : undefined);
    }
    case "rollout": {
      const steps = r.steps.map((s) => ({ at: instant(s.at, Infinity), traffic: s.traffic })).sort((x, y) => x.at - y.at);
      const rolloutBucket = bucketerFor(`rollout:${flagKey}:${r.name}`);
      const hit = results.of(r.variant, "rollout", r.name);
      const excluded = results.of(defaultVariant, "rollout_excluded", r.name);
      const held = results.of(defaultVariant, "holdout", r.name);
      const checkHoldout = r.holdout && scope.holdouts.length > 0;
      return (u, a, t) => {
        if (!when(u, a, t)) return undefined;
        if (checkHoldout && scope.holdoutOf(u) >= 0) return held;
        // The traffic of the last step that has started; none started is 0.
        let traffic = 0;
        for (let i = steps.length - 1; i >= 0; i--) {
          if (steps[i]!.at <= t) {
            traffic = steps[i]!.traffic;
            break;
          }
        }
        return rolloutBucket(u) < traffic ? hit : excluded;
      };
    }
    case "experiment": {
      const slot = scope.experimentSlots.get(r.experiment);
      if (slot === undefined) return () => undefined;
      const { map, name } = r;
      const byVariant = new Map<string, FlagResult>();
      return (u, a, t) => {
        if (!when(u, a, t)) return undefined;
        const v = scope.assignAt(slot, u, a, t).variant;
        if (v === null) return undefined;
        let hit = byVariant.get(v);
        if (!hit) {
          hit = results.of(map[v] ?? v, "experiment", name);
          byVariant.set(v, hit);
        }
        return hit;
      };
    }
  }
}
