"""``Date.parse`` for the strings every runtime reads alike: the ECMAScript date-time string format
(``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, optionally ``THH:mm``, ``:ss``, ``.sss`` and ``Z`` or
``±HH:mm``), with real calendar dates. Date-only forms are UTC and date-times without an offset are
local time, as in JavaScript. V8 also reads many other spellings (``2024/01/02``, ``Jan 2 2024``,
``2024-02-30``); those are not portable and read as no date here (docs/python.md)."""

from __future__ import annotations

import datetime as _dt
import math
import re

_MAX_MS = 8.64e15
_ISO = re.compile(
    r"(?P<y>[+-][0-9]{6}|[0-9]{4})(?:-(?P<mo>[0-9]{2})(?:-(?P<d>[0-9]{2}))?)?"
    r"(?:T(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]+))?)?"
    r"(?P<z>Z|[+-][0-9]{2}:[0-9]{2})?)?"
)


def parse_date(text: str) -> float | None:
    """Milliseconds since the epoch, or None when the string is not a portable date."""
    m = _ISO.fullmatch(text)
    if m is None:
        return None
    ys = m.group("y")
    if ys == "-000000":
        return None
    year = int(ys)
    month = int(m.group("mo") or 1)
    day = int(m.group("d") or 1)
    if not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        return None
    hour = int(m.group("h") or 0)
    minute = int(m.group("mi") or 0)
    second = int(m.group("s") or 0)
    ms = int((m.group("f") or "0")[:3].ljust(3, "0"))
    if hour == 24:
        if minute or second or ms:
            return None
    elif hour > 23 or minute > 59 or second > 59:
        return None
    days = _days_from_civil(year, month, day)
    t = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms
    z = m.group("z")
    if z is not None and z != "Z":
        sign = -1 if z[0] == "-" else 1
        oh, om = int(z[1:3]), int(z[4:6])
        if oh > 23 or om > 59:
            return None
        t -= sign * (oh * 60 + om) * 60_000
    elif z is None and m.group("h") is not None:
        t -= _local_offset_ms(t)
    if abs(t) > _MAX_MS:
        return None
    return float(t)


def _days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (any year, including 0 and negatives)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _local_offset_ms(local_ms: int) -> int:
    """The machine's UTC offset at a local wall-clock time, as JavaScript applies it."""
    try:
        naive = _dt.datetime(1970, 1, 1) + _dt.timedelta(milliseconds=local_ms)
        aware = naive.astimezone()
        offset = aware.utcoffset()
        return 0 if offset is None else int(offset.total_seconds() * 1000)
    except (OverflowError, OSError, ValueError):
        return 0


def to_ms(value: object) -> float | None:
    """A date attribute as ms: an ISO string, or a ``datetime`` from an in-process caller."""
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, _dt.datetime):
        t = value.timestamp() * 1000
        return None if math.isnan(t) else float(math.floor(t))
    return None
