"""``verify_ruleset(json | text)``: the essentials of ``schemas/ruleset.schema.json`` (checked by
hand: the SDK uses no JSON Schema library), then the checksum, then the cross-references
(``src/ruleset/verify.ts``, ``references.ts``). A ruleset that passes evaluates without surprises."""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, Mapping

from .canonical import ruleset_checksum
from .errors import CHECKSUM_MISMATCH, NOT_JSON, PATTERN_NOT_PORTABLE, SCHEMA_INVALID, UNKNOWN_REFERENCE, Diagnostic
from .hashing import BASIS_POINTS
from .jsregex import NotPortable, translate

_CHECKSUM = re.compile("[0-9a-f]{64}")
_EXPOSURES = ("on_assignment", "on_view")
_STATUSES = ("draft", "running", "paused", "stopped", "archived")
_KINDS = ("string", "number", "boolean", "date", "semver", "enum")
_FLAG_TYPES = ("boolean", "string", "number", "json")
_AS = ("value", "semver", "date")
_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


class _Schema:
    """Collects "field … must …" problems, with the JSON pointer of each."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, what: str) -> None:
        self.problems.append(f'Ruleset field "{path or "/"}" {what}')

    def obj(self, v: Any, path: str, required: tuple[str, ...] = (), allowed: tuple[str, ...] | None = None) -> bool:
        if not isinstance(v, dict):
            self.fail(path, "must be an object")
            return False
        for k in required:
            if k not in v:
                self.fail(path, f'must have required property "{k}"')
        if allowed is not None:
            for k in v:
                if k not in allowed:
                    self.fail(f"{path}/{k}", "is not allowed here")
        return all(k in v for k in required)

    def int_in(self, v: Any, path: str, lo: int, hi: int | None = None) -> None:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v != int(v):
            self.fail(path, "must be an integer")
        elif v < lo or (hi is not None and v > hi):
            self.fail(path, f"must be between {lo} and {hi}" if hi is not None else f"must be >= {lo}")

    def string(self, v: Any, path: str, min_length: int = 0) -> None:
        if not isinstance(v, str) or len(v) < min_length:
            self.fail(path, "must be a non-empty string" if min_length else "must be a string")

    def boolean(self, v: Any, path: str) -> None:
        if not isinstance(v, bool):
            self.fail(path, "must be a boolean")

    def one_of(self, v: Any, path: str, options: tuple[str, ...]) -> None:
        if v not in options or not isinstance(v, str):
            self.fail(path, f"must be one of {', '.join(options)}")

    def each(self, v: Any, path: str, check: Callable[[Any, str], None]) -> None:
        if isinstance(v, list):
            for i, item in enumerate(v):
                check(item, f"{path}/{i}")
        else:
            self.fail(path, "must be an array")

    def values(self, v: Any, path: str, check: Callable[[Any, str], None]) -> None:
        if isinstance(v, dict):
            for k, item in v.items():
                check(item, f"{path}/{k}")
        else:
            self.fail(path, "must be an object")

    def operand(self, o: Any, path: str) -> None:
        if not self.obj(o, path, ("op",)):
            return
        op = o["op"]
        if op == "attr":
            self.obj(o, path, ("name",), ("op", "name")) and self.string(o["name"], f"{path}/name")
        elif op == "lit":
            self.obj(o, path, (), ("op", "value"))
            if "value" in o and not (o["value"] is None or isinstance(o["value"], (str, int, float, bool))):
                self.fail(f"{path}/value", "must be a string, number, boolean or null")
        elif op == "list":
            if self.obj(o, path, ("items",), ("op", "items")):
                self.each(o["items"], f"{path}/items", self.operand)
        elif op in ("lower", "len", "neg"):
            if self.obj(o, path, ("arg",), ("op", "arg")):
                self.operand(o["arg"], f"{path}/arg")
        elif op in ("+", "-", "*", "/"):
            if self.obj(o, path, ("args",), ("op", "args")):
                self.operands(o["args"], f"{path}/args", 2)
        else:
            self.fail(f"{path}/op", "must be a known operand")

    def operands(self, v: Any, path: str, n: int) -> None:
        if not isinstance(v, list) or len(v) != n:
            self.fail(path, f"must be an array of {n} operands")
        else:
            self.each(v, path, self.operand)

    def condition(self, c: Any, path: str) -> None:
        if not self.obj(c, path, ("op",)):
            return
        op = c["op"]
        if op == "true":
            self.obj(c, path, (), ("op",))
        elif op in ("and", "or"):
            if self.obj(c, path, ("args",), ("op", "args")):
                self.each(c["args"], f"{path}/args", self.condition)
        elif op == "not":
            if self.obj(c, path, ("arg",), ("op", "arg")):
                self.condition(c["arg"], f"{path}/arg")
        elif op in _COMPARISONS or op == "between":
            if self.obj(c, path, ("as", "args"), ("op", "as", "args")):
                self.one_of(c["as"], f"{path}/as", _AS)
                self.operands(c["args"], f"{path}/args", 3 if op == "between" else 2)
        elif op == "in":
            if self.obj(c, path, ("as", "arg", "values"), ("op", "as", "arg", "values")):
                self.one_of(c["as"], f"{path}/as", _AS)
                self.operand(c["arg"], f"{path}/arg")
                self.each(c["values"], f"{path}/values", self.operand)
        elif op in ("contains", "starts_with", "ends_with"):
            if self.obj(c, path, ("args",), ("op", "args")):
                self.operands(c["args"], f"{path}/args", 2)
        elif op == "matches":
            if self.obj(c, path, ("arg", "pattern"), ("op", "arg", "pattern")):
                self.operand(c["arg"], f"{path}/arg")
                self.string(c["pattern"], f"{path}/pattern")
        elif op in ("is_null", "truthy"):
            if self.obj(c, path, ("arg",), ("op", "arg")):
                self.operand(c["arg"], f"{path}/arg")
        elif op == "segment":
            if self.obj(c, path, ("name",), ("op", "name")):
                self.string(c["name"], f"{path}/name", 1)
        elif op == "in_experiment":
            if self.obj(c, path, ("experiment",), ("op", "experiment", "variant")):
                self.string(c["experiment"], f"{path}/experiment", 1)
                if "variant" in c:
                    self.string(c["variant"], f"{path}/variant", 1)
        else:
            self.fail(f"{path}/op", "must be a known condition")

    def experiment(self, e: Any, path: str) -> None:
        fields = ("status", "phase", "unit", "schedule", "holdout", "traffic", "variants")
        if not self.obj(e, path, fields, (*fields, "targeting", "layer", "exposure", "overrides", "registration", "interleaving")):
            return
        self.one_of(e["status"], f"{path}/status", _STATUSES)
        self.int_in(e["phase"], f"{path}/phase", 0)
        self.string(e["unit"], f"{path}/unit", 1)
        if self.obj(e["schedule"], f"{path}/schedule", (), ("start", "end")):
            for k in ("start", "end"):
                if k in e["schedule"]:
                    self.string(e["schedule"][k], f"{path}/schedule/{k}", 1)
        self.boolean(e["holdout"], f"{path}/holdout")
        self.int_in(e["traffic"], f"{path}/traffic", 0, BASIS_POINTS)
        if "targeting" in e:
            self.condition(e["targeting"], f"{path}/targeting")
        if "layer" in e:
            self.string(e["layer"], f"{path}/layer", 1)
        if "exposure" in e:
            self.one_of(e["exposure"], f"{path}/exposure", _EXPOSURES)
        if "overrides" in e:
            self.values(e["overrides"], f"{path}/overrides", lambda v, p: self.string(v, p, 1))
        if "registration" in e:
            # Read by `exp plan`, never by a runtime: only its shape is checked.
            self.obj(e["registration"], f"{path}/registration", ("primary", "guardrails", "method", "alpha", "amendments"),
                     ("hypothesis", "primary", "guardrails", "method", "alpha", "amendments"))
        if "interleaving" in e and self.obj(e["interleaving"], f"{path}/interleaving", ("method", "rankers"), ("method", "rankers")):
            self.one_of(e["interleaving"]["method"], f"{path}/interleaving/method", ("team_draft", "balanced"))
            rankers = e["interleaving"]["rankers"]
            if not isinstance(rankers, list) or len(rankers) != 2:
                self.fail(f"{path}/interleaving/rankers", "must be an array of 2 ranker keys")
            else:
                self.each(rankers, f"{path}/interleaving/rankers", lambda v, p: self.string(v, p, 1))
        if isinstance(e["variants"], list) and not e["variants"]:
            self.fail(f"{path}/variants", "must have at least 1 item")
        self.each(e["variants"], f"{path}/variants", self.variant)

    def variant(self, v: Any, path: str) -> None:
        if self.obj(v, path, ("key", "weight"), ("key", "weight", "config", "url")):
            self.string(v["key"], f"{path}/key", 1)
            self.int_in(v["weight"], f"{path}/weight", 0, BASIS_POINTS)
            if "url" in v:
                self.string(v["url"], f"{path}/url", 1)

    def flag(self, f: Any, path: str) -> None:
        fields = ("type", "enabled", "variants", "default", "prerequisites", "overrides", "rules")
        if not self.obj(f, path, fields, fields):
            return
        self.one_of(f["type"], f"{path}/type", _FLAG_TYPES)
        self.boolean(f["enabled"], f"{path}/enabled")
        self.obj(f["variants"], f"{path}/variants")
        self.string(f["default"], f"{path}/default", 1)
        self.each(f["prerequisites"], f"{path}/prerequisites", self.prerequisite)
        self.values(f["overrides"], f"{path}/overrides", lambda v, p: self.string(v, p, 1))
        self.each(f["rules"], f"{path}/rules", self.rule)

    def prerequisite(self, p: Any, path: str) -> None:
        if self.obj(p, path, ("flag",), ("flag", "variant")):
            self.string(p["flag"], f"{path}/flag", 1)
            if "variant" in p:
                self.string(p["variant"], f"{path}/variant", 1)

    def rule(self, r: Any, path: str) -> None:
        if not self.obj(r, path, ("kind", "name")):
            return
        kind = r["kind"]
        if kind == "serve":
            self.obj(r, path, ("variant",), ("kind", "name", "when", "variant"))
        elif kind == "rollout":
            if self.obj(r, path, ("variant", "holdout", "steps"), ("kind", "name", "when", "variant", "holdout", "steps")):
                self.boolean(r["holdout"], f"{path}/holdout")
                self.each(r["steps"], f"{path}/steps", self.step)
        elif kind == "experiment":
            if self.obj(r, path, ("experiment", "map"), ("kind", "name", "when", "experiment", "map")):
                self.string(r["experiment"], f"{path}/experiment", 1)
                self.values(r["map"], f"{path}/map", lambda v, p: self.string(v, p, 1))
        else:
            self.fail(f"{path}/kind", "must be one of serve, rollout, experiment")
            return
        self.string(r["name"], f"{path}/name")
        if "variant" in r:
            self.string(r["variant"], f"{path}/variant", 1)
        if "when" in r:
            self.condition(r["when"], f"{path}/when")

    def step(self, s: Any, path: str) -> None:
        if self.obj(s, path, ("at", "traffic"), ("at", "traffic")):
            self.string(s["at"], f"{path}/at", 1)
            self.int_in(s["traffic"], f"{path}/traffic", 0, BASIS_POINTS)

    def ruleset(self, r: Any) -> None:
        fields = (
            "schemaVersion", "hashVersion", "version", "createdAt", "sourceCommit", "checksum",
            "attributes", "segments", "holdouts", "layers", "experiments", "flags",
        )  # fmt: skip
        if not self.obj(r, "", fields, fields):
            return
        for k in ("schemaVersion", "hashVersion"):
            if r[k] != 1 or isinstance(r[k], bool):
                self.fail(f"/{k}", "must be equal to constant 1")
        self.int_in(r["version"], "/version", 1)
        self.string(r["createdAt"], "/createdAt", 1)
        if r["sourceCommit"] is not None:
            self.string(r["sourceCommit"], "/sourceCommit")
        if not isinstance(r["checksum"], str) or not _CHECKSUM.fullmatch(r["checksum"]):
            self.fail("/checksum", "must be 64 lowercase hex digits")
        self.values(r["attributes"], "/attributes", lambda v, p: self.one_of(v, p, _KINDS))
        self.values(r["segments"], "/segments", self.condition)
        self.values(r["holdouts"], "/holdouts", self.holdout)
        self.values(r["layers"], "/layers", self.layer)
        self.values(r["experiments"], "/experiments", self.experiment)
        self.values(r["flags"], "/flags", self.flag)

    def holdout(self, h: Any, path: str) -> None:
        if self.obj(h, path, ("traffic",), ("traffic",)):
            self.int_in(h["traffic"], f"{path}/traffic", 0, BASIS_POINTS)

    def layer(self, layer: Any, path: str) -> None:
        if self.obj(layer, path, ("slots",), ("slots",)):
            self.values(layer["slots"], f"{path}/slots", lambda v, p: self.each(v, p, self.slot))

    def slot(self, s: Any, path: str) -> None:
        if not isinstance(s, list) or len(s) != 2:
            self.fail(path, "must be a [start, end] pair")
        else:
            for i, b in enumerate(s):
                self.int_in(b, f"{path}/{i}", 0, BASIS_POINTS)


def _walk(c: Mapping[str, Any] | None, visit: Callable[[Mapping[str, Any]], None]) -> None:
    if c is None:
        return
    visit(c)
    if c["op"] in ("and", "or"):
        for a in c["args"]:
            _walk(a, visit)
    elif c["op"] == "not":
        _walk(c["arg"], visit)


def check_references(r: Mapping[str, Any]) -> list[str]:
    """The cross-references the schema cannot express (``src/ruleset/references.ts``)."""
    out: list[str] = []
    conditions: list[tuple[str, Any]] = [(f'segment "{k}"', c) for k, c in r["segments"].items()]
    for key, e in r["experiments"].items():
        total = sum(v["weight"] for v in e["variants"])
        if total != BASIS_POINTS:
            out.append(f'Experiment "{key}" has variant weights summing to {total} basis points instead of 10000.')
        if "layer" in e and e["layer"] not in r["layers"]:
            out.append(f'Experiment "{key}" is in layer "{e["layer"]}", which the ruleset does not define.')
        variant_keys = {v["key"] for v in e["variants"]}
        for unit, v in e.get("overrides", {}).items():
            if v not in variant_keys:
                out.append(f'Experiment "{key}" override for "{unit}" names variant "{v}", which the experiment does not define.')
        conditions.append((f'experiment "{key}"', e.get("targeting")))
    for layer, spec in r["layers"].items():
        for exp in spec["slots"]:
            if exp not in r["experiments"]:
                out.append(f'Layer "{layer}" allocates slots to unknown experiment "{exp}".')
    for key, f in r["flags"].items():

        def has(v: str, where: str, key: str = key, f: Mapping[str, Any] = f) -> None:
            if v not in f["variants"]:
                out.append(f'Flag "{key}" {where} names variant "{v}", which the flag does not define.')

        has(f["default"], "default")
        for unit, v in f["overrides"].items():
            has(v, f'override for "{unit}"')
        for p in f["prerequisites"]:
            if p["flag"] not in r["flags"]:
                out.append(f'Flag "{key}" requires unknown flag "{p["flag"]}".')
        for rule in f["rules"]:
            conditions.append((f'flag "{key}" rule "{rule["name"]}"', rule.get("when")))
            if rule["kind"] in ("serve", "rollout"):
                has(rule["variant"], f'rule "{rule["name"]}"')
            else:
                e = r["experiments"].get(rule["experiment"])
                if e is None:
                    out.append(f'Flag "{key}" rule "{rule["name"]}" uses unknown experiment "{rule["experiment"]}".')
                else:
                    for v in e["variants"]:
                        has(rule["map"].get(v["key"], v["key"]), f'rule "{rule["name"]}" (experiment variant "{v["key"]}")')

    for where, c in conditions:

        def visit(n: Mapping[str, Any], where: str = where) -> None:
            if n["op"] == "segment" and n["name"] not in r["segments"]:
                out.append(f'The condition of {where} uses unknown segment "{n["name"]}".')
            if n["op"] == "in_experiment" and n["experiment"] not in r["experiments"]:
                out.append(f'The condition of {where} uses unknown experiment "{n["experiment"]}".')

        _walk(c, visit)
    return out


def _patterns(value: Any) -> list[str]:
    """Every ``matches`` pattern anywhere in the ruleset."""
    if isinstance(value, dict):
        found = [value["pattern"]] if value.get("op") == "matches" and isinstance(value.get("pattern"), str) else []
        for v in value.values():
            found.extend(_patterns(v))
        return found
    if isinstance(value, list):
        return [p for v in value for p in _patterns(v)]
    return []


def _reject_constant(name: str) -> Any:
    # JSON has no NaN or Infinity, and JavaScript's JSON.parse refuses them.
    raise ValueError(f"{name} is not JSON")


def verify_ruleset(source: Any) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The ruleset when it verifies, else None with the diagnostics that say why."""
    r = source
    if isinstance(source, (str, bytes)):
        try:
            r = json.loads(source, parse_constant=_reject_constant)
        except ValueError as err:
            return None, [Diagnostic(NOT_JSON, f'The ruleset is not valid JSON ({err}); republish it with "exp apply".')]
    schema = _Schema()
    schema.ruleset(r)
    if schema.problems:
        fix = '; recompile it with "exp export --to ruleset".'
        return None, [Diagnostic(SCHEMA_INVALID, p + fix) for p in schema.problems[:20]]
    expected = ruleset_checksum(r)
    if expected != r["checksum"]:
        message = (
            f'Ruleset version {r["version"]} has checksum "{r["checksum"]}" but its content hashes to "{expected}"; '
            "it was altered after compilation."
        )
        return None, [Diagnostic(CHECKSUM_MISMATCH, message)]
    references = check_references(r)
    if references:
        return None, [Diagnostic(UNKNOWN_REFERENCE, m) for m in references]
    unportable = []
    for pattern in _patterns(r):
        try:
            translate(pattern)
        except NotPortable as err:
            unportable.append(
                Diagnostic(
                    PATTERN_NOT_PORTABLE,
                    f'The pattern "{pattern}" uses {err}, which Python cannot match exactly as JavaScript does; '
                    "rewrite it within the portable subset (docs/python.md).",
                )
            )
        except Exception:  # noqa: BLE001 - a pattern JavaScript refuses never matches in either runtime
            continue
    if unportable:
        return None, unportable
    return r, []
