"""The one semantic-version grammar and order (``src/ruleset/semver.ts``): SemVer 2.0.0 plus a
lowercase ``v`` prefix. Numeric parts stay digit strings so that versions beyond 2**53 order
exactly. The pattern spells digits as ``[0-9]``: Python's ``\\d`` would also take other scripts'
digits, which JavaScript's does not."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMERIC = "0|[1-9][0-9]*"
_PRE_ID = f"(?:{_NUMERIC}|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_BUILD_ID = "[0-9A-Za-z-]+"
_PATTERN = re.compile(
    f"v?({_NUMERIC})\\.({_NUMERIC})\\.({_NUMERIC})"
    f"(?:-({_PRE_ID}(?:\\.{_PRE_ID})*))?(?:\\+{_BUILD_ID}(?:\\.{_BUILD_ID})*)?"
)
_DIGITS = re.compile("[0-9]+")


@dataclass(frozen=True, slots=True)
class Semver:
    major: str
    minor: str
    patch: str
    pre: tuple[str, ...]


def parse_semver(text: object) -> Semver | None:
    """The version a value spells, or None when it is not a string in the grammar."""
    if not isinstance(text, str):
        return None
    m = _PATTERN.fullmatch(text)
    if m is None:
        return None
    pre = m.group(4)
    return Semver(m.group(1), m.group(2), m.group(3), () if pre is None else tuple(pre.split(".")))


def _compare_digits(x: str, y: str) -> int:
    if len(x) != len(y):
        return -1 if len(x) < len(y) else 1
    return 0 if x == y else (-1 if x < y else 1)


def compare_semver(a: Semver, b: Semver) -> int:
    """SemVer 2.0.0 precedence as -1, 0 or 1; build metadata never counts."""
    core = _compare_digits(a.major, b.major) or _compare_digits(a.minor, b.minor) or _compare_digits(a.patch, b.patch)
    if core:
        return core
    # A release ranks above its pre-releases.
    if not a.pre or not b.pre:
        d = len(b.pre) - len(a.pre)
        return (d > 0) - (d < 0)
    for x, y in zip(a.pre, b.pre):
        if x == y:
            continue
        nx = _DIGITS.fullmatch(x) is not None
        ny = _DIGITS.fullmatch(y) is not None
        if nx and ny:
            return _compare_digits(x, y)
        # Numeric identifiers rank below alphanumeric ones, which compare in ASCII order.
        if nx:
            return -1
        if ny:
            return 1
        return -1 if x < y else 1
    d = len(a.pre) - len(b.pre)
    return (d > 0) - (d < 0)
