"""Canonical JSON and the ruleset checksum (``src/ruleset/canonical-json.ts``, ``checksum.ts``).

Canonical JSON sorts object keys by UTF-16 code unit at every depth and has no whitespace; strings
and numbers are written as JavaScript's ``JSON.stringify`` writes them. The checksum is the SHA-256
(hex) of the canonical JSON of the ruleset without ``checksum`` and ``createdAt``. A single byte of
difference would make every published ruleset fail to verify, so the conformance cases pin both.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any, Mapping

from .jsvalues import UNDEFINED

LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SAFE_INT = 2**53


def js_number(x: int | float) -> str:
    """``JSON.stringify`` of a number: shortest round-trip digits, JavaScript's exponent rules."""
    if isinstance(x, int):
        if abs(x) < _SAFE_INT:
            return str(x)
        x = float(x)
    if not math.isfinite(x):
        return "null"
    if x == 0:
        return "0"
    digits, exponent = _shortest(abs(x))
    sign = "-" if x < 0 else ""
    k = len(digits)
    n = exponent + k  # the decimal point sits after n digits
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _shortest(x: float) -> tuple[str, int]:
    """The shortest round-trip digits of x and the exponent e with x == int(digits) * 10**e."""
    mantissa, _, exp = repr(x).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    exponent = int(exp or 0) - len(frac)
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    return stripped, exponent


def js_string(s: str) -> str:
    """``JSON.stringify`` of a string: non-ASCII kept, lone surrogates escaped."""
    text = json.dumps(s, ensure_ascii=False)
    if not s.isascii() and LONE_SURROGATE.search(text):
        text = LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    return text


def canonical_json(value: Any) -> str:
    if value is None or value is UNDEFINED:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return js_string(value)
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, Mapping):
        keys = sorted((k for k in value if value[k] is not UNDEFINED), key=lambda k: k.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(f"{js_string(k)}:{canonical_json(value[k])}" for k in keys) + "}"
    raise TypeError(f"Canonical JSON has no form for a {type(value).__name__}; pass JSON values only.")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def ruleset_checksum(ruleset: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the ruleset without ``checksum`` and ``createdAt``."""
    rest = {k: v for k, v in ruleset.items() if k not in ("checksum", "createdAt")}
    return sha256_hex(canonical_json(rest))
