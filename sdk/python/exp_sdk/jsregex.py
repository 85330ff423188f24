"""``new RegExp(pattern).test(s)`` in Python, for the portable subset of JavaScript patterns.

The TypeScript runtime compiles ``matches`` patterns with JavaScript's ``RegExp`` (no flags, so
non-Unicode mode with the web-compatibility grammar). Python's ``re`` reads many patterns
differently (``\\d`` and ``\\w`` take all scripts, ``$`` matches before a final newline, ``.``
takes a whole astral character, ``\\A`` is an anchor rather than the letter ``A``...), so a pattern is
parsed here with JavaScript's grammar and written out as an equivalent Python pattern, matched
against the subject's UTF-16 code units. docs/python.md lists the subset:

- translated exactly: literals and identity escapes, ``.``, ``^``, ``$``, ``|``, groups (capturing,
  ``(?:``, named), lookaheads, greedy and lazy quantifiers, classes with ranges, ``\\d \\D \\w \\W
  \\s \\S \\b \\B``, ``\\t \\n \\v \\f \\r \\0 \\cX \\xHH \\uHHHH``;
- a pattern JavaScript rejects never matches, as in the TypeScript runtime;
- not portable (``NotPortable``): backreferences and octal escapes (``\\1``...), ``\\k``,
  lookbehinds, quantified lookaheads, ``\\S`` inside a class, a class escape as a range end, ``\\c``
  without a letter.
"""

from __future__ import annotations

import re
from typing import Callable

from .jsvalues import utf16_units

# JavaScript's WhiteSpace and LineTerminator code points: what \s matches.
_WS = "\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_CLASS_ESCAPES = {"d": "\\d", "D": "\\D", "w": "\\w", "W": "\\W", "s": _WS}
_CONTROL = {"t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r"}
_HEX = re.compile("[0-9A-Fa-f]+")
_GROUP_NAME = re.compile("[A-Za-z_$][A-Za-z0-9_$]*")


class JsSyntaxError(Exception):
    """JavaScript would refuse the pattern, so it matches nothing."""


class NotPortable(Exception):
    """A valid JavaScript pattern outside the subset that Python reproduces exactly."""


def _lit(c: str) -> str:
    return f"\\u{ord(c):04x}"


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.groups: set[str] = set()

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.p[j] if j < len(self.p) else ""

    def take(self) -> str:
        c = self.p[self.i]
        self.i += 1
        return c

    def translate(self) -> str:
        out = self.disjunction()
        if self.i < len(self.p):
            raise JsSyntaxError("unmatched ')'")
        return out

    def disjunction(self) -> str:
        parts = [self.alternative()]
        while self.peek() == "|":
            self.i += 1
            parts.append(self.alternative())
        return "|".join(parts)

    def alternative(self) -> str:
        out = []
        while self.i < len(self.p) and self.peek() not in "|)":
            out.append(self.term())
        return "".join(out)

    def term(self) -> str:
        c = self.peek()
        if c == "^":
            self.i += 1
            return self.no_quantifier("\\A")
        if c == "$":
            self.i += 1
            return self.no_quantifier("\\Z")
        if c == "\\" and self.peek(1) in ("b", "B"):
            self.i += 2
            return self.no_quantifier("\\" + self.p[self.i - 1])
        if c == "(" and self.peek(1) == "?" and self.peek(2) in ("=", "!"):
            kind = self.peek(2)
            self.i += 3
            inner = self.group_body()
            if self.quantifier_ahead():
                raise NotPortable("a quantified lookahead")
            return f"(?{kind}{inner})"
        atom = self.atom()
        return atom + self.quantifier()

    def no_quantifier(self, out: str) -> str:
        if self.quantifier_ahead():
            raise JsSyntaxError("nothing to repeat")
        return out

    def group_body(self) -> str:
        inner = self.disjunction()
        if self.peek() != ")":
            raise JsSyntaxError("unterminated group")
        self.i += 1
        return inner

    def atom(self) -> str:
        c = self.take()
        if c == ".":
            return "[^\\n\\r\\u2028\\u2029]"
        if c == "(":
            if self.peek() != "?":
                return f"({self.group_body()})"
            if self.peek(1) == ":":
                self.i += 2
                return f"(?:{self.group_body()})"
            if self.peek(1) == "<" and self.peek(2) not in ("=", "!"):
                end = self.p.find(">", self.i + 2)
                if end < 0:
                    raise JsSyntaxError("invalid group name")
                name = self.p[self.i + 2 : end]
                if not _GROUP_NAME.fullmatch(name):
                    raise NotPortable("a group name outside [A-Za-z_$][A-Za-z0-9_$]*")
                if name in self.groups:
                    raise JsSyntaxError("duplicate group name")
                self.groups.add(name)
                self.i = end + 1
                return f"({self.group_body()})"
            if self.peek(1) == "<":
                raise NotPortable("a lookbehind")
            raise JsSyntaxError("invalid group")
        if c in "*+?":
            raise JsSyntaxError("nothing to repeat")
        if c == "{":
            if self.braced_quantifier(self.i - 1) is not None:
                raise JsSyntaxError("nothing to repeat")
            return _lit(c)
        if c == "[":
            return self.char_class()
        if c == "\\":
            return self.atom_escape()
        return _lit(c)

    def atom_escape(self) -> str:
        if self.i >= len(self.p):
            raise JsSyntaxError("\\ at end of pattern")
        c = self.take()
        if c in _CLASS_ESCAPES:
            return f"[{_CLASS_ESCAPES[c]}]" if c == "s" else _CLASS_ESCAPES[c]
        if c == "S":
            return f"[^{_WS}]"
        return _lit(self.character_escape(c))

    def character_escape(self, c: str) -> str:
        """The character an escape other than a class escape stands for (``c`` already taken)."""
        if c in _CONTROL:
            return _CONTROL[c]
        if c == "0":
            if self.peek().isdigit():
                raise NotPortable("an octal escape")
            return "\0"
        if c in "123456789":
            raise NotPortable("a backreference or octal escape")
        if c == "k":
            raise NotPortable("\\k")
        if c == "c":
            letter = self.peek()
            if ("a" <= letter <= "z") or ("A" <= letter <= "Z"):
                self.i += 1
                return chr(ord(letter) % 32)
            raise NotPortable("\\c without a letter")
        if c == "x" and _HEX.fullmatch(self.p[self.i : self.i + 2] or "-") and self.i + 2 <= len(self.p):
            self.i += 2
            return chr(int(self.p[self.i - 2 : self.i], 16))
        if c == "u" and _HEX.fullmatch(self.p[self.i : self.i + 4] or "-") and self.i + 4 <= len(self.p):
            self.i += 4
            return chr(int(self.p[self.i - 4 : self.i], 16))
        # Every other escaped character stands for itself (web-compatibility identity escape).
        return c

    def char_class(self) -> str:
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        items: list[str] = []
        while True:
            if self.i >= len(self.p):
                raise JsSyntaxError("unterminated character class")
            if self.peek() == "]":
                self.i += 1
                break
            lo, lo_class = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                hi, hi_class = self.class_atom()
                if lo_class or hi_class:
                    raise NotPortable("a class escape as a range end")
                if ord(lo) > ord(hi):
                    raise JsSyntaxError("range out of order in character class")
                items.append(f"{_lit(lo)}-{_lit(hi)}")
            else:
                items.append(lo if lo_class else _lit(lo))
        if not items:
            return "[\\s\\S]" if negated else "(?!)"
        return f"[{'^' if negated else ''}{''.join(items)}]"

    def class_atom(self) -> tuple[str, bool]:
        """One class member: (a character, False) or (a translated class escape, True)."""
        c = self.take()
        if c != "\\":
            return c, False
        if self.i >= len(self.p):
            raise JsSyntaxError("\\ at end of pattern")
        e = self.take()
        if e in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[e], True
        if e == "S":
            raise NotPortable("\\S inside a character class")
        if e == "b":
            return "\b", False
        if e == "-":
            return "-", False
        return self.character_escape(e), False

    def quantifier_ahead(self) -> bool:
        c = self.peek()
        return c in ("*", "+", "?") and c != "" or (c == "{" and self.braced_quantifier(self.i) is not None)

    def braced_quantifier(self, at: int) -> tuple[int, str] | None:
        """The end and the text of ``{n}``, ``{n,}`` or ``{n,m}`` starting at ``at``, else None."""
        m = re.compile("\\{([0-9]+)(,([0-9]*))?\\}").match(self.p, at)
        if m is None:
            return None
        return m.end(), m.group(0)

    def quantifier(self) -> str:
        c = self.peek()
        if c in ("*", "+", "?") and c != "":
            self.i += 1
            q = c
        elif c == "{" and (braced := self.braced_quantifier(self.i)) is not None:
            end, q = braced
            lo, _, hi = q[1:-1].partition(",")
            if hi and int(lo) > int(hi):
                raise JsSyntaxError("numbers out of order in quantifier")
            self.i = end
        else:
            return ""
        if self.peek() == "?":
            self.i += 1
            q += "?"
        if self.quantifier_ahead():
            raise JsSyntaxError("nothing to repeat")
        return q


def translate(pattern: str) -> str:
    """The Python pattern equal to the JavaScript one, for subjects given as UTF-16 code units."""
    return _Parser(utf16_units(pattern)).translate()


def compile_test(pattern: str) -> Callable[[str], bool]:
    """``new RegExp(pattern).test`` as a function of the subject string. A pattern JavaScript
    refuses never matches; a pattern outside the portable subset raises NotPortable."""
    try:
        compiled = re.compile(translate(pattern), re.ASCII)
    except JsSyntaxError:
        return lambda _s: False
    search = compiled.search
    return lambda s: search(utf16_units(s)) is not None
