"""``create_evaluator(ruleset)``: every experiment and flag compiled into closures once; evaluation
then only hashes and walks precomputed tuples (``src/runtime/evaluator.ts``). Time is injectable:
``at`` is milliseconds since the epoch, or a ``datetime``."""

from __future__ import annotations

import datetime as _dt
import time
from types import MappingProxyType
from typing import Any, Mapping, Union

from .condition import Attributes
from .experiment import compile_experiment
from .flag import compile_flag
from .results import Assignment, EvaluateAllResult, FlagResult
from .scope import EvaluationScope

NO_ATTRIBUTES: Attributes = MappingProxyType({})
_NOT_FOUND = ("experiment_not_found",)
# The user id alone, or ``{"userId": ..., "sessionId": ...}`` when session experiments may be asked.
UnitRef = Union[str, Mapping[str, str]]



def _ms(at: float | int | _dt.datetime | None) -> float:
    if at is None:
        return float(time.time_ns() // 1_000_000)
    if isinstance(at, _dt.datetime):
        return at.timestamp() * 1000
    return at


class Evaluator:
    """Answers by key over one compiled ruleset (a dict as the JSON document parses)."""

    def __init__(self, ruleset: Mapping[str, Any]) -> None:
        self.ruleset = ruleset
        scope = EvaluationScope(ruleset)
        self._scope = scope
        self._assigners = {}
        self._evaluators = {}
        for key, e in ruleset["experiments"].items():
            assign = compile_experiment(key, e, scope)
            self._assigners[key] = assign
            scope.assigners.append(assign)
        for key, f in ruleset["flags"].items():
            evaluate = compile_flag(key, f, scope)
            self._evaluators[key] = evaluate
            scope.evaluators.append(evaluate)
        self._experiment_keys = sorted(scope.experiment_slots, key=_utf16_key)
        self._flag_keys = sorted(scope.flag_slots, key=_utf16_key)

    def assign(self, experiment: str, unit: UnitRef, attributes: Attributes | None = None, at: Any = None) -> Assignment:
        a = self._assigners.get(experiment)
        user = self._enter(unit)
        if a is None:
            return Assignment(experiment, None, None, False, _NOT_FOUND, None, user)
        return a(user, NO_ATTRIBUTES if attributes is None else attributes, _ms(at))

    def evaluate(self, flag: str, unit: UnitRef, attributes: Attributes | None = None, at: Any = None) -> FlagResult:
        e = self._evaluators.get(flag)
        if e is None:
            return FlagResult(flag, None, None, "flag_not_found", None)
        return e(self._enter(unit), NO_ATTRIBUTES if attributes is None else attributes, _ms(at))

    def evaluate_all(self, unit: UnitRef, attributes: Attributes | None = None, at: Any = None) -> EvaluateAllResult:
        """Every experiment and flag for one unit, keys sorted, each computed once."""
        unit = self._enter(unit)
        attrs = NO_ATTRIBUTES if attributes is None else attributes
        t = _ms(at)
        scope = self._scope
        scope.open_memo(unit, attrs, t)
        try:
            experiments = {k: scope.assign_at(scope.experiment_slots[k], unit, attrs, t) for k in self._experiment_keys}
            flags = {k: scope.flag_at(scope.flag_slots[k], unit, attrs, t) for k in self._flag_keys}
        finally:
            scope.close_memo()
        return EvaluateAllResult(experiments, flags)

    def _enter(self, unit: UnitRef) -> str:
        """The user id of a call; its session id (``{"userId", "sessionId"}``) goes to the scope for session experiments."""
        if isinstance(unit, Mapping):
            session = unit.get("sessionId")
            self._scope.session = _unit(session) if session is not None else None
            return _unit(unit.get("userId"))
        self._scope.session = None
        return _unit(unit)

    def has_experiment(self, key: str) -> bool:
        return key in self._assigners

    def has_flag(self, key: str) -> bool:
        return key in self._evaluators


def create_evaluator(ruleset: Mapping[str, Any]) -> Evaluator:
    return Evaluator(ruleset)


def _unit(unit: object) -> str:
    if not isinstance(unit, str):
        raise TypeError(f"The unit id {unit!r} is a {type(unit).__name__}; pass it as a string.")
    return unit


def _utf16_key(key: str) -> bytes:
    """JavaScript sorts strings by UTF-16 code unit, which differs from code point order past U+FFFF."""
    return key.encode("utf-16-be", "surrogatepass")
