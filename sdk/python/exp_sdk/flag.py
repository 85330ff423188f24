"""One flag as a closure that walks its ladder (``src/runtime/flag.ts``, ``flag-rule.ts``):
disabled, the unit's override, the prerequisites, the rules in order, then the default. Every
outcome is an interned ``FlagResult``, so evaluating a flag allocates nothing."""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

from .condition import Attributes, compile_condition
from .experiment import instant
from .hashing import bucketer_for
from .results import FlagResult
from .scope import Evaluate, EvaluationScope

Rule = Callable[[str, Attributes, float], "FlagResult | None"]


class _Results:
    """The results one flag can give, each (variant, reason, rule) made once."""

    def __init__(self, key: str, flag: Mapping[str, Any]) -> None:
        self._key = key
        self._variants = flag["variants"]
        self._made: dict[tuple[str, str, str | None], FlagResult] = {}

    def of(self, variant: str, reason: str, rule: str | None) -> FlagResult:
        made = self._made.get((variant, reason, rule))
        if made is None:
            made = FlagResult(self._key, self._variants.get(variant), variant, reason, rule)
            self._made[(variant, reason, rule)] = made
        return made


def compile_flag(key: str, f: Mapping[str, Any], scope: EvaluationScope) -> Evaluate:
    results = _Results(key, f)
    default = f["default"]
    fallback = results.of(default, "default", None)
    if not f["enabled"]:
        disabled = results.of(default, "disabled", None)
        return lambda _u, _a, _t: disabled
    overrides = {unit: results.of(v, "override", None) for unit, v in f["overrides"].items()}
    prerequisites = [(scope.flag_slots.get(p["flag"]), p.get("variant")) for p in f["prerequisites"]]
    prerequisite_failed = results.of(default, "prerequisite_failed", None)
    rules = [_compile_rule(r, key, default, results, scope) for r in f["rules"]]

    def prerequisites_met(unit: str, attrs: Attributes, at: float) -> bool:
        for slot, variant in prerequisites:
            r = None if slot is None else scope.prerequisite(slot, unit, attrs, at)
            if r is None or (r.variant != variant if variant is not None else r.value is not True):
                return False
        return True

    def evaluate(unit: str, attrs: Attributes, at: float) -> FlagResult:
        if overrides:
            o = overrides.get(unit)
            if o is not None:
                return o
        if prerequisites and not prerequisites_met(unit, attrs, at):
            return prerequisite_failed
        for rule in rules:
            r = rule(unit, attrs, at)
            if r is not None:
                return r
        return fallback

    return evaluate


def _compile_rule(r: Mapping[str, Any], flag_key: str, default: str, results: _Results, scope: EvaluationScope) -> Rule:
    when = compile_condition(r.get("when"), scope)
    kind = r["kind"]
    name = r["name"]
    if kind == "serve":
        hit = results.of(r["variant"], "rule_match", name)
        return lambda u, a, t: hit if when(u, a, t) else None
    if kind == "rollout":
        steps = sorted(((instant(s["at"], math.inf), s["traffic"]) for s in r["steps"]), key=lambda s: s[0])
        rollout_bucket = bucketer_for(f"rollout:{flag_key}:{name}")
        hit = results.of(r["variant"], "rollout", name)
        excluded = results.of(default, "rollout_excluded", name)
        held = results.of(default, "holdout", name)
        check_holdout = r["holdout"] and len(scope.holdouts) > 0

        def rollout(u: str, a: Attributes, t: float) -> FlagResult | None:
            if not when(u, a, t):
                return None
            if check_holdout and scope.holdout_of(u) >= 0:
                return held
            # The traffic of the last step that has started; none started is 0.
            traffic = 0
            for at, step_traffic in reversed(steps):
                if at <= t:
                    traffic = step_traffic
                    break
            return hit if rollout_bucket(u) < traffic else excluded

        return rollout
    slot = scope.experiment_slots.get(r["experiment"])
    if slot is None:
        return lambda _u, _a, _t: None
    mapping = r["map"]
    by_variant: dict[str, FlagResult] = {}

    def experiment(u: str, a: Attributes, t: float) -> FlagResult | None:
        if not when(u, a, t):
            return None
        v = scope.assign_at(slot, u, a, t).variant
        if v is None:
            return None
        hit = by_variant.get(v)
        if hit is None:
            hit = by_variant[v] = results.of(mapping.get(v, v), "experiment", name)
        return hit

    return experiment
