import type { RulesetFlag } from "../ruleset/types.js";
import type { Attributes, Test } from "./condition.js";
import type { EvaluationScope, Evaluate } from "./evaluation-scope.js";
import { compileRule } from "./flag-rule.js";
import { FlagResults } from "./flag-results.js";

/**
 * One flag as a closure that walks its ladder: disabled, then the unit's override, then the
 * prerequisites, then the rules in order, then the default. Each outcome is an interned result.
 */
export function compileFlag(key: string, f: RulesetFlag, scope: EvaluationScope): Evaluate {
  const results = new FlagResults(key, f);
  const fallback = results.of(f.default, "default", null);
  if (!f.enabled) {
    const disabled = results.of(f.default, "disabled", null);
    return () => disabled;
  }
  const overrides = new Map(Object.entries(f.overrides).map(([unit, v]) => [unit, results.of(v, "override", null)]));
  const prerequisitesMet = compilePrerequisites(f, scope);
  const prerequisiteFailed = results.of(f.default, "prerequisite_failed", null);
  const rules = f.rules.map((r) => compileRule(r, key, f.default, results, scope));

  return (unit, attrs, at) => {
    if (overrides.size > 0) {
      const o = overrides.get(unit);
      if (o) return o;
    }
    if (prerequisitesMet !== undefined && !prerequisitesMet(unit, attrs, at)) return prerequisiteFailed;
    for (const rule of rules) {
      const r = rule(unit, attrs, at);
      if (r) return r;
    }
    return fallback;
  };
}

/**
 * Whether every prerequisite flag serves what the flag asks of it (the named variant, else exactly
 * `true`); undefined for a flag without prerequisites, which keeps the common path short.
 */
function compilePrerequisites(f: RulesetFlag, scope: EvaluationScope): Test | undefined {
  if (f.prerequisites.length === 0) return undefined;
  const prerequisites = f.prerequisites.map((p) => ({ slot: scope.flagSlots.get(p.flag), variant: p.variant }));
  return (unit: string, attrs: Attributes, at: number) => {
    for (const p of prerequisites) {
      const r = p.slot === undefined ? undefined : scope.prerequisite(p.slot, unit, attrs, at);
      if (r === undefined || (p.variant !== undefined ? r.variant !== p.variant : r.value !== true)) return false;
    }
    return true;
  };
}
