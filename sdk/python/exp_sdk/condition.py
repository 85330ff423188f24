"""Ruleset conditions compiled into closures once, at load (``src/runtime/condition.ts``).

A missing or wrongly typed attribute makes the comparison that reads it false; nothing here raises
on user input. Values follow JavaScript's rules where the TypeScript runtime's answer depends on
them (jsvalues.py): JSON ``null`` is ``None``, a missing attribute is ``UNDEFINED``.
"""

from __future__ import annotations

import math
import operator
from typing import Any, Callable, Mapping, Protocol

from . import jsvalues as js
from .dates import to_ms
from .jsregex import compile_test
from .semver import compare_semver, parse_semver

UNDEFINED = js.UNDEFINED
Attributes = Mapping[str, Any]
Test = Callable[[str, Attributes, float], bool]
Value = Callable[[Attributes], Any]


class ConditionScope(Protocol):
    def segment(self, name: str) -> Test: ...

    def variant_of(self, experiment: str, unit: str, attrs: Attributes, at: float) -> str | None: ...


def _always(_u: str, _a: Attributes, _t: float) -> bool:
    return True


def _never(_u: str, _a: Attributes, _t: float) -> bool:
    return False


def compile_condition(c: Mapping[str, Any] | None, scope: ConditionScope) -> Test:
    if c is None:
        return _always
    op = c["op"]
    if op == "true":
        return _always
    if op in ("and", "or"):
        parts = [compile_condition(a, scope) for a in c["args"]]
        if op == "and":
            if not parts:
                return _always
            if len(parts) == 1:
                return parts[0]
            if len(parts) == 2:
                p, q = parts
                return lambda u, a, t: p(u, a, t) and q(u, a, t)
            return lambda u, a, t: all(p(u, a, t) for p in parts)
        if not parts:
            return _never
        if len(parts) == 2:
            p, q = parts
            return lambda u, a, t: p(u, a, t) or q(u, a, t)
        return lambda u, a, t: any(p(u, a, t) for p in parts)
    if op == "not":
        inner = compile_condition(c["arg"], scope)
        return lambda u, a, t: not inner(u, a, t)
    if op in ("==", "!=", "<", "<=", ">", ">="):
        return _compile_comparison(op, c["as"], c["args"][0], c["args"][1])
    if op == "in":
        return _compile_in(c["as"], c["arg"], c["values"])
    if op == "between":
        lo = _compile_comparison(">=", c["as"], c["args"][0], c["args"][1])
        hi = _compile_comparison("<=", c["as"], c["args"][0], c["args"][2])
        return lambda u, a, t: lo(u, a, t) and hi(u, a, t)
    if op == "contains":
        return _compile_contains(compile_operand(c["args"][0]), compile_operand(c["args"][1]))
    if op in ("starts_with", "ends_with"):
        x = compile_operand(c["args"][0])
        y = compile_operand(c["args"][1])
        check = js.starts_with if op == "starts_with" else js.ends_with

        def affix(_u: str, a: Attributes, _t: float) -> bool:
            s = x(a)
            p = y(a)
            return isinstance(s, str) and isinstance(p, str) and check(s, p)

        return affix
    if op == "matches":
        test = compile_test(c["pattern"])
        x = compile_operand(c["arg"])

        def matches(_u: str, a: Attributes, _t: float) -> bool:
            s = x(a)
            return isinstance(s, str) and test(s)

        return matches
    if op == "is_null":
        x = compile_operand(c["arg"])
        return lambda _u, a, _t: _is_null(x(a))
    if op == "truthy":
        x = compile_operand(c["arg"])
        return lambda _u, a, _t: x(a) is True
    if op == "segment":
        name = c["name"]
        resolved: list[Test] = []

        # Segments resolve lazily so that their order in the ruleset does not matter.
        def segment(u: str, a: Attributes, t: float) -> bool:
            if not resolved:
                resolved.append(scope.segment(name))
            return resolved[0](u, a, t)

        return segment
    if op == "in_experiment":
        experiment = c["experiment"]
        variant = c.get("variant")
        if variant is None:
            return lambda u, a, t: scope.variant_of(experiment, u, a, t) is not None
        return lambda u, a, t: scope.variant_of(experiment, u, a, t) == variant
    raise ValueError(f'Unknown condition op "{op}".')


def compile_operand(o: Mapping[str, Any]) -> Value:
    op = o["op"]
    if op == "attr":
        name = o["name"]
        return lambda a: a.get(name, UNDEFINED)
    if op == "lit":
        v = o.get("value", UNDEFINED)
        return lambda _a: v
    if op == "list":
        items = [compile_operand(i) for i in o["items"]]
        return lambda a: [i(a) for i in items]
    if op == "lower":
        x = compile_operand(o["arg"])

        def lower(a: Attributes) -> Any:
            v = x(a)
            return js.to_lower(v) if isinstance(v, str) else UNDEFINED

        return lower
    if op == "len":
        x = compile_operand(o["arg"])

        def length(a: Attributes) -> Any:
            v = x(a)
            if isinstance(v, str):
                return js.utf16_length(v)
            return len(v) if isinstance(v, (list, tuple)) else UNDEFINED

        return length
    if op == "neg":
        x = compile_operand(o["arg"])
        return lambda a: _negate(x(a))
    if op in ("+", "-", "*", "/"):
        x = compile_operand(o["args"][0])
        y = compile_operand(o["args"][1])
        return _arithmetic(op, x, y)
    raise ValueError(f'Unknown operand op "{op}".')


def _arithmetic(op: str, x: Value, y: Value) -> Value:
    def value(a: Attributes) -> Any:
        left = x(a)
        right = y(a)
        if not js.is_number(left) or not js.is_number(right):
            return UNDEFINED
        # JavaScript numbers are doubles: computing in floats gives its results bit for bit.
        lf, rf = float(left), float(right)
        try:
            v = lf + rf if op == "+" else lf - rf if op == "-" else lf * rf if op == "*" else lf / rf
        except (ZeroDivisionError, OverflowError):
            return UNDEFINED
        return v if math.isfinite(v) else UNDEFINED

    return value


def _is_null(v: Any) -> bool:
    return v is UNDEFINED or v is None


def _negate(v: Any) -> Any:
    return -v if js.is_number(v) else UNDEFINED


def _compile_contains(x: Value, y: Value) -> Test:
    def contains(_u: str, a: Attributes, _t: float) -> bool:
        h = x(a)
        n = y(a)
        if isinstance(h, str):
            return isinstance(n, str) and js.includes(h, n)
        if isinstance(h, (list, tuple)):
            return n is not UNDEFINED and n is not None and any(js.same_value_zero(i, n) for i in h)
        return False

    return contains


def _norm_value(v: Any) -> Any:
    if v is None or v is UNDEFINED or (isinstance(v, float) and math.isnan(v)):
        return UNDEFINED
    return v


def _norm_date(v: Any) -> Any:
    t = to_ms(v)
    return UNDEFINED if t is None else t


def _norm_semver(v: Any) -> Any:
    s = parse_semver(v)
    return UNDEFINED if s is None else s


_NORMALISERS = {"value": _norm_value, "date": _norm_date, "semver": _norm_semver}


def _order(as_: str, x: Any, y: Any) -> float | None:
    """The sign-carrying difference of two normalised values, or None when they do not order."""
    if as_ == "semver":
        return compare_semver(x, y)
    if js.is_number(x) and js.is_number(y):
        return x - y
    return None


# Fast paths compare directly, as JavaScript's `v < n` does (no subtraction: inf - inf is NaN).
_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_DECIDE = {
    "<": lambda d: d < 0,
    "<=": lambda d: d <= 0,
    ">": lambda d: d > 0,
    ">=": lambda d: d >= 0,
}


def _compile_comparison(op: str, as_: str, left: Mapping[str, Any], right: Mapping[str, Any]) -> Test:
    # The hot case, as in the TypeScript runtime: an attribute against a literal, compared by value.
    if as_ == "value" and left["op"] == "attr" and right["op"] == "lit" and right.get("value", UNDEFINED) is not None:
        fast = _fast_comparison(op, left["name"], right.get("value", UNDEFINED))
        if fast is not None:
            return fast
    x = compile_operand(left)
    y = compile_operand(right)
    norm = _NORMALISERS[as_]
    literal = right["op"] == "lit"
    fixed = norm(right.get("value", UNDEFINED)) if literal else UNDEFINED
    decide = _DECIDE.get(op)

    def compare(_u: str, a: Attributes, _t: float) -> bool:
        lv = norm(x(a))
        rv = fixed if literal else norm(y(a))
        if lv is UNDEFINED or rv is UNDEFINED:
            return False
        if decide is None:
            if as_ == "value":
                if js.typeof(lv) != js.typeof(rv):
                    return False
                same = js.strict_equals(lv, rv)
            else:
                same = _order(as_, lv, rv) == 0
            return same if op == "==" else not same
        d = _order(as_, lv, rv)
        return d is not None and decide(d)

    return compare


def _fast_comparison(op: str, name: str, lit: Any) -> Test | None:
    kind = js.typeof(lit)
    if op == "==":
        # Specialised by the literal's type: this is the most common test in real targeting.
        if kind == "string":
            return lambda _u, a, _t: isinstance(v := a.get(name), str) and v == lit
        if kind == "number":
            return lambda _u, a, _t: js.is_number(v := a.get(name)) and v == lit
        return lambda _u, a, _t: js.strict_equals(a.get(name, UNDEFINED), lit)
    if op == "!=" and kind == "string":
        return lambda _u, a, _t: isinstance(v := a.get(name), str) and v != lit
    if op == "!=":

        def differs(_u: str, a: Attributes, _t: float) -> bool:
            v = a.get(name, UNDEFINED)
            return js.typeof(v) == kind and not js.strict_equals(v, lit)

        return differs
    if kind != "number":
        return None
    compare = _COMPARE[op]

    def ordered(_u: str, a: Attributes, _t: float) -> bool:
        v = a.get(name, UNDEFINED)
        return js.is_number(v) and compare(v, lit)

    return ordered


def _compile_in(as_: str, arg: Mapping[str, Any], values: list[Mapping[str, Any]]) -> Test:
    if as_ == "value" and all(v["op"] == "lit" for v in values):
        keys = {js.value_key(v.get("value", UNDEFINED)) for v in values}
        if arg["op"] == "attr":
            name = arg["name"]
            if all(isinstance(v.get("value"), str) for v in values):
                strings = frozenset(v["value"] for v in values)
                return lambda _u, a, _t: isinstance(s := a.get(name), str) and s in strings
            return lambda _u, a, _t: js.value_key(a.get(name, UNDEFINED)) in keys
        x = compile_operand(arg)

        def member(_u: str, a: Attributes, _t: float) -> bool:
            v = x(a)
            return v is not UNDEFINED and v is not None and js.value_key(v) in keys

        return member
    tests = [_compile_comparison("==", as_, arg, v) for v in values]
    return lambda u, a, t: any(test(u, a, t) for test in tests)
