"""One experiment as a closure that walks the assignment ladder (``src/runtime/experiment.ts``):
running, a QA override, scheduled, past the holdout, targeted, in traffic or in its layer slots, then the
variant bucket. Reason lists are built once per outcome and shared."""

from __future__ import annotations

import math
from typing import Any, Mapping

from .condition import Attributes, compile_condition
from .dates import parse_date
from .hashing import bucketer_for, pick_index
from .results import Assignment
from .scope import Assign, EvaluationScope

NOT_RUNNING = ("not_running",)
SESSION_UNIT = "session"


def instant(iso: str | None, fallback: float) -> float:
    """An ISO-8601 time in ms; ``fallback`` when absent or unreadable."""
    if iso is None:
        return fallback
    t = parse_date(iso)
    return fallback if t is None else t


def compile_experiment(key: str, e: Mapping[str, Any], scope: EvaluationScope) -> Assign:
    def miss(unit: str, reasons: tuple[str, ...], b: int | None = None) -> Assignment:
        return Assignment(key, None, None, False, reasons, b, unit)

    if e["status"] != "running":
        return lambda unit, _a, _t: miss(unit, NOT_RUNNING)

    layer = e.get("layer")
    layered = layer is not None
    running = ("running",)
    past_holdout = (*running, "not_in_holdout" if e["holdout"] else "holdout_exempt")
    targeted = (*past_holdout, "targeting_match")
    in_traffic = (*targeted, "in_layer_slot" if layered else "in_traffic")
    before_schedule = (*running, "before_schedule")
    after_schedule = (*running, "after_schedule")
    no_session = (*running, "no_session_id")
    by_session = e.get("unit") == SESSION_UNIT
    in_holdout = [(*running, h.reason) for h in scope.holdouts]
    targeting_mismatch = (*past_holdout, "targeting_mismatch")
    outside_traffic = (*targeted, "outside_layer_slot" if layered else "outside_traffic")
    no_variant = (*in_traffic, "no_variant")
    interleaved = (*in_traffic, "interleaving")
    interleaving = e.get("interleaving") is not None

    schedule = e["schedule"]
    start = instant(schedule.get("start"), -math.inf)
    end = instant(schedule.get("end"), math.inf)
    check_holdout = e["holdout"] and len(scope.holdouts) > 0
    targeting = compile_condition(e.get("targeting"), scope)
    has_targeting = e.get("targeting") is not None
    slots = [tuple(r) for r in scope.ruleset["layers"].get(layer, {}).get("slots", {}).get(key, [])] if layered else []
    traffic_bucket = bucketer_for(f"layer:{layer}" if layered else f"traffic:{key}:{e['phase']}")
    traffic = e["traffic"]
    variant_bucket = bucketer_for(f"variant:{key}:{e['phase']}")
    weights = [v["weight"] for v in e["variants"]]
    picked = [(v["key"], v.get("config"), (*in_traffic, f"variant:{v['key']}"), v.get("url")) for v in e["variants"]]
    # A QA override serves its variant whenever the experiment runs, ahead of every other rung, and
    # leaves the unit out of the experiment (no exposure is logged, the analysis never counts it).
    by_key = {v["key"]: v for v in e["variants"]}
    overrides = {
        unit: Assignment(key, v["key"], v.get("config"), False, (*running, "override", f"variant:{v['key']}"), None, unit, v.get("url"))
        for unit, variant in (e.get("overrides") or {}).items()
        if (v := by_key.get(variant)) is not None
    }

    def assign(unit: str, attrs: Attributes, at: float) -> Assignment:
        if overrides:
            forced = overrides.get(unit)
            if forced is not None:
                return forced
        if at < start:
            return miss(unit, before_schedule)
        if at >= end:
            return miss(unit, after_schedule)
        # A session experiment hashes the session id for traffic and variant; holdouts stay per user.
        hash_key = scope.session if by_session else unit
        if hash_key is None:
            return miss(unit, no_session)
        if check_holdout:
            h = scope.holdout_of(unit)
            if h >= 0:
                return miss(unit, in_holdout[h])
        if has_targeting and not targeting(unit, attrs, at):
            return miss(unit, targeting_mismatch)
        tb = traffic_bucket(hash_key)
        if layered:
            if not any(lo <= tb < hi for lo, hi in slots):
                return miss(hash_key, outside_traffic)
        elif tb >= traffic:
            return miss(hash_key, outside_traffic)
        # Enrolled, but the rankers are teams within one merged list, not variants to split.
        if interleaving:
            return Assignment(key, None, None, True, interleaved, None, hash_key, None)
        vb = variant_bucket(hash_key)
        i = pick_index(weights, vb)
        if i < 0:
            return miss(hash_key, no_variant, vb)
        variant, config, reasons, url = picked[i]
        return Assignment(key, variant, config, True, reasons, vb, hash_key, url)

    return assign
