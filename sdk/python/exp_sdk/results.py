"""What evaluation returns (docs/runtime.md). ``to_json()`` gives the wire shape the TypeScript
runtime and ``exp serve`` use, field names included, so results compare across runtimes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Assignment:
    """A unit's assignment to an experiment. ``reasons`` lists every decision taken, in order;
    ``bucket`` is the variant bucket (0..9999) when the unit reached the variant step."""

    experiment: str
    variant: str | None
    config: Any
    in_experiment: bool
    reasons: tuple[str, ...]
    bucket: int | None
    hash_key: str
    url: str | None = None
    """The variant's page in a split-URL experiment; None when not enrolled or the variant has none."""

    def to_json(self) -> dict[str, Any]:
        return {
            "experiment": self.experiment,
            "variant": self.variant,
            "config": self.config,
            "url": self.url,
            "inExperiment": self.in_experiment,
            "reasons": list(self.reasons),
            "bucket": self.bucket,
            "hashKey": self.hash_key,
        }


@dataclass(frozen=True, slots=True)
class FlagResult:
    """A flag's value for a unit; ``rule`` names the rule that decided, or is None."""

    flag: str
    value: Any
    variant: str | None
    reason: str
    rule: str | None

    def to_json(self) -> dict[str, Any]:
        return {"flag": self.flag, "value": self.value, "variant": self.variant, "reason": self.reason, "rule": self.rule}


@dataclass(frozen=True, slots=True)
class EvaluateAllResult:
    """Every experiment and flag for one unit, keys sorted."""

    experiments: dict[str, Assignment]
    flags: dict[str, FlagResult]

    def to_json(self) -> dict[str, Any]:
        return {
            "experiments": {k: v.to_json() for k, v in self.experiments.items()},
            "flags": {k: v.to_json() for k, v in self.flags.items()},
        }
