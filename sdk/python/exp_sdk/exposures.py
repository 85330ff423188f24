"""Exposure logging (``src/runtime/sdk/exposure-logger.ts``): which evaluations log an exposure,
the id every logger gives it, and the bounded memory that logs each unit x experiment x phase once.

on_assignment experiments log when ``assign`` enrols a unit or when a flag rule of kind
``experiment`` serves from one; on_view experiments log when the app confirms with ``exposed``.
The records have the shape ``POST /v1/exposures`` takes from an SDK (docs/http-api.md)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from .canonical import canonical_json, sha256_hex
from .evaluator import Evaluator, UnitRef
from .extensions import ExposureSink
from .results import Assignment, FlagResult


def exposure_id(experiment: str, phase: int, unit: str) -> str:
    """The id of a unit's exposure to one phase of an experiment, as the Node SDK and the server
    name it: a retry, or the same exposure logged elsewhere, is a duplicate the server ignores."""
    return sha256_hex(canonical_json([experiment, phase, unit]))[:32]


def iso_time(ms: float) -> str:
    """``Date.prototype.toISOString`` of a time in ms since the epoch."""
    at = datetime.fromtimestamp(int(ms) / 1000, tz=timezone.utc)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(ms) % 1000:03d}Z"


def now_ms() -> float:
    return time.time() * 1000


class ExposureDedup:
    """The units x experiments x phases logged lately, least recently seen forgotten first."""

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._seen: OrderedDict[tuple[str, int, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, experiment: str, phase: int, unit: str) -> bool:
        key = (experiment, phase, unit)
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return False
            self._seen[key] = None
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)
            return True


class ExposureLogger:
    """Logs the exposures of one ruleset to a sink; a client makes a new one when its ruleset changes."""

    def __init__(self, evaluator: Evaluator, sink: ExposureSink, dedup: ExposureDedup) -> None:
        self.evaluator = evaluator
        self._sink = sink
        self._dedup = dedup
        ruleset = evaluator.ruleset
        self._experiments = {
            key: (e["phase"], e.get("exposure", "on_assignment")) for key, e in ruleset["experiments"].items()
        }
        # flag -> rule name -> experiment, for rules of kind experiment over an on_assignment experiment.
        self._flag_rules: dict[str, dict[str, str]] = {}
        for flag, f in ruleset["flags"].items():
            rules = {
                r["name"]: r["experiment"]
                for r in f["rules"]
                if r["kind"] == "experiment" and self._experiments.get(r["experiment"], (0, ""))[1] == "on_assignment"
            }
            if rules:
                self._flag_rules[flag] = rules

    def assigned(self, r: Assignment, at: float, unit: UnitRef) -> None:
        """``unit`` is what the assignment was asked for: a session experiment's exposure names the
        user beside its session."""
        e = self._experiments.get(r.experiment)
        if e is not None and e[1] == "on_assignment" and r.in_experiment and r.variant is not None:
            self._log(r.experiment, e[0], r.hash_key, user_id_of(unit), r.variant, at)

    def exposed(self, r: Assignment, at: float, unit: UnitRef | None = None) -> None:
        """Without ``unit`` the hash key stands for the user (right for every unit but ``session``)."""
        e = self._experiments.get(r.experiment)
        if e is not None and r.in_experiment and r.variant is not None:
            user = r.hash_key if unit is None else user_id_of(unit)
            self._log(r.experiment, e[0], r.hash_key, user, r.variant, at)

    def flag_served(self, r: FlagResult, unit: UnitRef, attributes: Mapping[str, Any] | None, at: float) -> None:
        if r.reason != "experiment" or r.rule is None:
            return
        experiment = self._flag_rules.get(r.flag, {}).get(r.rule)
        if experiment is None:
            return
        phase = self._experiments[experiment][0]
        user = user_id_of(unit)
        # The dedup is asked first so that a repeat costs no second assignment (a session experiment
        # hashes the session id, known only from its assignment).
        if isinstance(unit, str) and not self._dedup.first_time(experiment, phase, user):
            return
        a = self.evaluator.assign(experiment, unit, attributes, at)
        if a.variant is None:
            return
        if isinstance(unit, str):
            self._send(experiment, phase, a.hash_key, user, a.variant, at)
        else:
            self._log(experiment, phase, a.hash_key, user, a.variant, at)

    def _log(self, experiment: str, phase: int, hash_key: str, user: str, variant: str, at: float) -> None:
        if self._dedup.first_time(experiment, phase, hash_key):
            self._send(experiment, phase, hash_key, user, variant, at)

    def _send(self, experiment: str, phase: int, hash_key: str, user: str, variant: str, at: float) -> None:
        """``hash_key`` names the exposure (the session id in a session experiment, else the user id)."""
        record: dict[str, Any] = {
            "exposureId": exposure_id(experiment, phase, hash_key),
            "experimentKey": experiment,
            "userId": user,
            "variant": variant,
            "phase": phase,
            "rulesetVersion": self.evaluator.ruleset["version"],
            "ts": iso_time(at),
        }
        if hash_key != user:
            record["sessionId"] = hash_key
        self._sink.exposure(record)


def user_id_of(unit: UnitRef) -> str:
    return str(unit.get("userId")) if isinstance(unit, Mapping) else unit


def logger_source(sink: ExposureSink | None, dedup_size: int) -> Callable[[Evaluator], ExposureLogger | None]:
    """One logger per ruleset, sharing one dedup, made when the client's ruleset changes."""
    if sink is None:
        return lambda _evaluator: None
    dedup = ExposureDedup(dedup_size)
    current: list[ExposureLogger] = []

    def logger_for(evaluator: Evaluator) -> ExposureLogger:
        if not current or current[0].evaluator is not evaluator:
            current[:] = [ExposureLogger(evaluator, sink, dedup)]
        return current[0]

    return logger_for
