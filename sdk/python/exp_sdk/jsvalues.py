"""What JavaScript's values and strings do, where the TypeScript runtime's results depend on it.

Conditions must give the same answer in every SDK, and the TypeScript runtime decides with
JavaScript's semantics: ``===`` keeps ``1`` and ``true`` apart, ``"".length`` counts UTF-16 code
units, ``toLowerCase`` follows a newer Unicode than Python 3.11's. The helpers here reproduce
exactly those behaviours; docs/python.md lists them.
"""

from __future__ import annotations

import math
from typing import Any


class _Undefined:
    """JavaScript's ``undefined``: a missing attribute, or a value of the wrong type after an
    operation. Distinct from ``None`` (JSON ``null``), which some operations treat differently."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Any = _Undefined()


def is_number(v: object) -> bool:
    """``typeof v === "number"``: ints and floats, never booleans."""
    t = type(v)
    return t is int or t is float or (isinstance(v, (int, float)) and not isinstance(v, bool))


def typeof(v: object) -> str:
    """JavaScript's ``typeof`` of the value a JSON document or a caller gives."""
    if v is UNDEFINED:
        return "undefined"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    return "object"


def strict_equals(x: object, y: object) -> bool:
    """``x === y``: same type and value for primitives, identity for arrays and objects."""
    tx = typeof(x)
    if tx != typeof(y):
        return False
    if tx == "object":
        return x is y or (x is None and y is None)
    return x == y


def same_value_zero(x: object, y: object) -> bool:
    """SameValueZero (``Set.has``, ``Array.includes``): ``===``, except that NaN equals NaN."""
    if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y):
        return True
    return strict_equals(x, y)


def value_key(v: object) -> tuple[str, object] | None:
    """A hashable key under which SameValueZero-equal primitives meet, or None for arrays and
    objects (which no literal can equal)."""
    t = typeof(v)
    if t == "object" and v is not None:
        return None
    if t == "number" and isinstance(v, float) and math.isnan(v):
        return ("number", "NaN")
    return (t, v)


def utf16_length(s: str) -> int:
    """``s.length``: UTF-16 code units, so a character outside the BMP counts twice."""
    if s.isascii():
        return len(s)
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def utf16_units(s: str) -> str:
    """The string with every character outside the BMP written as its two surrogates, so that
    Python indexes, slices and regex-matches it by UTF-16 code unit, as JavaScript does."""
    if s.isascii():
        return s
    out = []
    for c in s:
        o = ord(c)
        if o > 0xFFFF:
            o -= 0x10000
            out.append(chr(0xD800 | (o >> 10)))
            out.append(chr(0xDC00 | (o & 0x3FF)))
        else:
            out.append(c)
    return "".join(out)


# Lowercase mappings that Node 20's ICU (Unicode 17) has and Python 3.11 (Unicode 14) lacks;
# str.lower() leaves these characters unchanged. The conformance cases pin every one.
_LOWER_ADDED = {
    0x1C89: 0x1C8A, 0xA7CB: 0x264, 0xA7CC: 0xA7CD, 0xA7CE: 0xA7CF, 0xA7D2: 0xA7D3, 0xA7D4: 0xA7D5,
    0xA7DA: 0xA7DB, 0xA7DC: 0x19B,
    **{c: c + 0x20 for c in range(0x10D50, 0x10D66)},
    **{c: c + 0x1B for c in range(0x16EA0, 0x16EB9)},
}  # fmt: skip


def to_lower(s: str) -> str:
    """``s.toLowerCase()`` as Node 20 computes it."""
    if s.isascii():
        return s.lower()
    return s.lower().translate(_LOWER_ADDED)


def includes(haystack: str, needle: str) -> bool:
    """``haystack.includes(needle)``, by UTF-16 code unit (differs from Python only with surrogates)."""
    if needle in haystack:
        return True
    if _has_surrogate(needle) or _has_surrogate(haystack):
        return utf16_units(needle) in utf16_units(haystack)
    return False


def starts_with(s: str, prefix: str) -> bool:
    if s.startswith(prefix):
        return True
    if _has_surrogate(prefix) or _has_surrogate(s):
        return utf16_units(s).startswith(utf16_units(prefix))
    return False


def ends_with(s: str, suffix: str) -> bool:
    if s.endswith(suffix):
        return True
    if _has_surrogate(suffix) or _has_surrogate(s):
        return utf16_units(s).endswith(utf16_units(suffix))
    return False


def _has_surrogate(s: str) -> bool:
    return not s.isascii() and any(0xD800 <= ord(c) <= 0xDFFF for c in s)
