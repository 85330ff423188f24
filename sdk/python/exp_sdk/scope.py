"""What the compiled experiments, flags and conditions of one evaluator share
(``src/runtime/evaluation-scope.ts``): the slots through which one asks another, the holdouts with
a one-unit cache, the compiled segments, the depth guard against reference cycles, and the memo
that makes ``evaluate_all`` compute each experiment and flag once.

Unlike the single-threaded JavaScript original, one evaluator may serve many threads: the depth
and the memo are per thread, and the holdout cache is one tuple swapped whole."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .condition import Attributes, Test, compile_condition
from .hashing import bucketer_for
from .results import Assignment, FlagResult

Assign = Callable[[str, Attributes, float], Assignment]
Evaluate = Callable[[str, Attributes, float], FlagResult]

# Longer chains of prerequisites or in_experiment() are cycles that slipped past validation.
MAX_REFERENCE_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Holdout:
    bucket_of: Callable[[str], int]
    traffic: int
    reason: str


@dataclass(slots=True)
class _Memo:
    """Within one evaluate_all: each experiment and flag computed once for this unit, attributes and time."""

    unit: str
    attrs: Attributes
    at: float
    assign: dict[int, Assignment] = field(default_factory=dict)
    flag: dict[int, FlagResult] = field(default_factory=dict)


class _ThreadState(threading.local):
    depth = 0
    memo: _Memo | None = None


def _never(_u: str, _a: Attributes, _t: float) -> bool:
    return False


class EvaluationScope:
    def __init__(self, ruleset: Mapping[str, Any]) -> None:
        # The session id of the call being answered, which session experiments hash (src/runtime/unit-ids.ts).
        self.session: str | None = None
        self.ruleset = ruleset
        self.experiment_slots = {k: i for i, k in enumerate(ruleset["experiments"])}
        self.flag_slots = {k: i for i, k in enumerate(ruleset["flags"])}
        self.assigners: list[Assign] = []
        self.evaluators: list[Evaluate] = []
        self.holdouts = [
            Holdout(bucketer_for(f"holdout:{key}"), h["traffic"], f"in_holdout:{key}") for key, h in ruleset["holdouts"].items()
        ]
        self._segments: dict[str, Test] = {}
        self._state = _ThreadState()
        # One-entry cache: the experiments and rollouts of one evaluation all ask about the same unit.
        self._holdout_cache: tuple[str | None, int] = (None, -1)

    def segment(self, name: str) -> Test:
        t = self._segments.get(name)
        if t is None:
            c = self.ruleset["segments"].get(name)
            # An unknown segment is false, not an error: verification reports it before use.
            t = compile_condition(c, self) if c is not None else _never
            self._segments[name] = t
        return t

    def variant_of(self, experiment: str, unit: str, attrs: Attributes, at: float) -> str | None:
        i = self.experiment_slots.get(experiment)
        # A cycle that slipped past validation is "not enrolled", not a RecursionError.
        state = self._state
        if i is None or state.depth >= MAX_REFERENCE_DEPTH:
            return None
        state.depth += 1
        try:
            return self.assign_at(i, unit, attrs, at).variant
        finally:
            state.depth -= 1

    def prerequisite(self, slot: int, unit: str, attrs: Attributes, at: float) -> FlagResult | None:
        state = self._state
        if state.depth >= MAX_REFERENCE_DEPTH:
            return None
        state.depth += 1
        try:
            return self.flag_at(slot, unit, attrs, at)
        finally:
            state.depth -= 1

    def assign_at(self, slot: int, unit: str, attrs: Attributes, at: float) -> Assignment:
        memo = self._state.memo
        if memo is not None and memo.unit == unit and memo.attrs is attrs and memo.at == at:
            r = memo.assign.get(slot)
            if r is None:
                r = memo.assign[slot] = self.assigners[slot](unit, attrs, at)
            return r
        return self.assigners[slot](unit, attrs, at)

    def flag_at(self, slot: int, unit: str, attrs: Attributes, at: float) -> FlagResult:
        memo = self._state.memo
        if memo is not None and memo.unit == unit and memo.attrs is attrs and memo.at == at:
            r = memo.flag.get(slot)
            if r is None:
                r = memo.flag[slot] = self.evaluators[slot](unit, attrs, at)
            return r
        return self.evaluators[slot](unit, attrs, at)

    def holdout_of(self, unit: str) -> int:
        """The index of the holdout the unit falls in, or -1."""
        cached_unit, index = self._holdout_cache
        if unit == cached_unit:
            return index
        found = -1
        for i, h in enumerate(self.holdouts):
            if h.bucket_of(unit) < h.traffic:
                found = i
                break
        self._holdout_cache = (unit, found)
        return found

    def open_memo(self, unit: str, attrs: Attributes, at: float) -> None:
        self._state.memo = _Memo(unit, attrs, at)

    def close_memo(self) -> None:
        self._state.memo = None
