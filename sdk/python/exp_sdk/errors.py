"""Diagnostics of loading a ruleset, with the codes the TypeScript SDK uses (docs/diagnostics.md)."""

from __future__ import annotations

from dataclasses import dataclass

UNKNOWN_REFERENCE = "EXP5003"
SCHEMA_INVALID = "EXP5010"
CHECKSUM_MISMATCH = "EXP5011"
NOT_JSON = "EXP5012"
FETCH_FAILED = "EXP5013"
# Python only: a `matches` pattern outside the subset both runtimes read alike (docs/python.md).
PATTERN_NOT_PORTABLE = "EXP5014"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class RulesetLoadError(Exception):
    """No usable ruleset: it could not be read or fetched, or it did not verify."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics
