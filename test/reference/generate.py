"""Reference datasets and expected analysis outputs (docs/analysis.md) for the stats engine.

Run from the repository root:  /usr/bin/python3 test/reference/generate.py
Needs numpy, pandas, scipy and statsmodels. Every dataset has a fixed seed, so the CSVs and
expected.json files are reproducible byte for byte on the same library versions.

The expected values are computed straight from the raw rows (first exposure, multiple-exposure
exclusion, window, zero-fill, CUPED pre-period), with SciPy and statsmodels doing the tests.
"""
import json
import math
import os
import sys
from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd

sys.dont_write_bytecode = True  # keep test/reference free of __pycache__
from spec_semantics import DAY, analyze  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
START = datetime(2026, 12, 1, tzinfo=timezone.utc)


def fmt_ts(seconds):
    return (START + timedelta(seconds=int(seconds))).strftime("%Y-%m-%d %H:%M:%S")


# ---------------------------------------------------------------------------------------------
# Generation


class Builder:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.exposures = []
        self.events = []
        self.event_seq = 0

    def expose(self, unit, experiment, variant, t, session=None, attrs=None):
        self.exposures.append(
            dict(unit_id=unit, experiment=experiment, variant=variant, ts=fmt_ts(t), session_id=session or "",
                 attributes=json.dumps(attrs or {"country": "US"}, sort_keys=True)))

    def event(self, unit, name, t, value=None, props=None):
        self.event_seq += 1
        self.events.append(
            dict(unit_id=unit, session_id=f"s{self.event_seq % 97}", event=name, ts=fmt_ts(t),
                 value="" if value is None else repr(float(value)),
                 properties=json.dumps(props or {}, sort_keys=True), event_id=f"e{self.event_seq}"))

    def population(self, experiment, variants, weights, n_units, multi_share=0.01):
        """Units with their first exposure time and variant; some re-exposed, some in two variants."""
        units = []
        p = np.array(weights, dtype=float) / sum(weights)
        for i in range(n_units):
            unit = f"u{i:05d}"
            v = variants[self.rng.choice(len(variants), p=p)]
            fe = float(self.rng.integers(0, 10 * 86400))
            self.expose(unit, experiment, v, fe)
            if self.rng.random() < 0.2:  # repeat exposure, same variant, later
                self.expose(unit, experiment, v, fe + float(self.rng.integers(1, 5 * 86400)))
            if self.rng.random() < multi_share:  # a second variant: excluded from all metrics
                other = variants[(variants.index(v) + 1) % len(variants)]
                self.expose(unit, experiment, other, fe + float(self.rng.integers(-86400, 86400)))
            units.append((unit, v, fe))
        # noise: another experiment's exposures, and events of never-exposed units
        for i in range(20):
            self.expose(f"x{i:03d}", "other_experiment", "control", float(self.rng.integers(0, 10 * 86400)))
            self.event(f"x{i:03d}", "purchase", float(self.rng.integers(0, 10 * 86400)), props={"revenue": 10.0})
        return units

    def scatter(self, unit, fe, name, count, value_fn=None, props_fn=None):
        """`count` events spread over [fe − 20d, fe + 20d], so some fall outside window and lookback."""
        for _ in range(count):
            t = fe + float(self.rng.integers(-20 * 86400, 20 * 86400))
            self.event(unit, name, t, value=value_fn() if value_fn else None, props=props_fn() if props_fn else None)

    def boundary_events(self, unit, fe, name, props=None, value=None):
        """Exactly at the first exposure (inside the window) and exactly at its end (outside)."""
        self.event(unit, name, fe, value=value, props=props)
        self.event(unit, name, fe + 14 * DAY, value=value, props=props)

    def write(self, name, workspace):
        d = os.path.join(HERE, name)
        os.makedirs(d, exist_ok=True)
        pd.DataFrame(self.exposures).to_csv(os.path.join(d, "exposures.csv"), index=False)
        pd.DataFrame(self.events).to_csv(os.path.join(d, "events.csv"), index=False)
        with open(os.path.join(d, "workspace.json"), "w") as f:
            json.dump(workspace, f, indent=2)
            f.write("\n")
        return d


# ---------------------------------------------------------------------------------------------
# The datasets


DEFAULT_ANALYSIS = dict(method="fixed", alpha=0.05, correction="bh", srm_threshold=0.001, window_days=14, cuped_lookback_days=14)


# Every dataset is analysed after its schedule ended and with the decision minimums met, so that its
# recommendation rests on the evidence alone (the gates have tests of their own).
DESIGN = dict(schedule=dict(start="2026-12-01T00:00:00Z", end="2026-12-15T00:00:00Z"), as_of="2027-01-01T00:00:00Z",
              min_duration_days=7, min_units_per_variant=500)


def workspace(experiment, variants, metrics, weights=None, control="control"):
    weights = weights or [50] * len(variants)
    return dict(experiment=experiment, phase=1, control=control,
                variants=[dict(key=v, weight=w) for v, w in zip(variants, weights)], metrics=metrics, design=DESIGN)


CONVERSION = dict(metric="purchase_conversion", tier="primary", kind="conversion", event="purchase", cuped=False)
REVENUE = dict(metric="revenue_per_user", tier="secondary", kind="sum", event="purchase", field="properties.revenue", cuped=False)


def ds_conversion(b):
    units = b.population("ref_conversion", ["control", "treatment"], [50, 50], 2400)
    for u, v, fe in units:
        p = 0.10 if v == "control" else 0.16
        b.scatter(u, fe, "purchase", int(b.rng.random() < p * 2.5), props_fn=lambda: {"revenue": 20.0})
        if b.rng.random() < 0.01:
            b.boundary_events(u, fe, "purchase", props={"revenue": 20.0})
        b.scatter(u, fe, "page_view", int(b.rng.poisson(1.0)))
    return workspace("ref_conversion", ["control", "treatment"], [CONVERSION])


def ds_revenue(b):
    units = b.population("ref_revenue", ["control", "treatment"], [50, 50], 2000)
    for u, v, fe in units:
        buys = int(b.rng.random() < 0.3) * int(b.rng.poisson(1.6 if v == "control" else 1.9))
        scale = 30.0 if v == "control" else 31.0
        b.scatter(u, fe, "purchase", buys, props_fn=lambda: {"revenue": round(float(b.rng.gamma(2.0, scale / 2)), 2), "currency": "EUR"})
    rpu = dict(REVENUE, tier="primary")
    aov = dict(metric="avg_order_value", tier="secondary", kind="mean", event="purchase", field="properties.revenue", cuped=False)
    return workspace("ref_revenue", ["control", "treatment"], [rpu, aov])


def ds_count(b):
    units = b.population("ref_count", ["control", "treatment"], [50, 50], 2000)
    for u, v, fe in units:
        b.scatter(u, fe, "page_view", int(b.rng.poisson(2.0 if v == "control" else 2.1)))
        lat = 300.0 if v == "control" else 330.0
        b.scatter(u, fe, "page_load", int(b.rng.poisson(1.0)), value_fn=lambda: round(float(b.rng.lognormal(math.log(lat), 0.5)), 1))
    views = dict(metric="page_views", tier="primary", kind="count", event="page_view", cuped=False)
    p95 = dict(metric="p95_page_load", tier="guardrail", kind="quantile", event="page_load", field="value", quantile=0.95,
               direction="decrease", max_regression=0.05)
    return workspace("ref_count", ["control", "treatment"], [views, p95])


def ds_ratio(b):
    units = b.population("ref_ratio", ["control", "treatment"], [50, 50], 2000)
    for u, v, fe in units:
        imps = int(b.rng.poisson(4.0))
        ctr = 0.08 if v == "control" else 0.10
        b.scatter(u, fe, "impression", imps, props_fn=lambda: {"position": 1})
        b.scatter(u, fe, "click", int(b.rng.binomial(imps, ctr * 1.2)), props_fn=lambda: {"position": 1})
    ctr_metric = dict(metric="click_through_rate", tier="primary", kind="ratio", cuped=True,
                      numerator=dict(kind="count", event="click"), denominator=dict(kind="count", event="impression"))
    return workspace("ref_ratio", ["control", "treatment"], [ctr_metric])


def ds_cuped(b):
    units = b.population("ref_cuped", ["control", "treatment"], [50, 50], 2000)
    for u, v, fe in units:
        level = float(b.rng.gamma(1.0, 2.5))
        lift = 1.0 if v == "control" else 1.12
        # Same habit before and after exposure: strong pre/post correlation.
        for lo, hi, mult in ((-14, 0, 1.0), (0, 14, lift)):
            for _ in range(int(b.rng.poisson(level * mult))):
                t = fe + float(b.rng.integers(lo * 86400, hi * 86400))
                b.event(u, "purchase", t, props={"revenue": round(float(b.rng.gamma(4.0, 2.5)), 2)})
        b.scatter(u, fe, "page_load", int(b.rng.poisson(0.8)), value_fn=lambda: round(float(b.rng.lognormal(5.7, 0.4)), 1))
    spend = dict(metric="spend", tier="primary", kind="sum", event="purchase", field="properties.revenue", cuped=True)
    conv = dict(CONVERSION, tier="secondary", cuped=True)
    orders = dict(metric="orders", tier="guardrail", kind="count", event="purchase", cuped=True, max_regression=0.02)
    return workspace("ref_cuped", ["control", "treatment"], [spend, conv, orders])


def ds_ratio_cuped(b):
    """Click-through with a strongly correlated pre-period: each unit keeps its activity level and its
    own click propensity before and after exposure. A fifth of the units are new (no pre-period at
    all), so their pre-period denominator is zero."""
    units = b.population("ref_ratio_cuped", ["control", "treatment"], [50, 50], 1500)
    for u, v, fe in units:
        level = float(b.rng.gamma(2.0, 3.0))
        propensity = float(b.rng.beta(1.2, 6.0))
        new_unit = b.rng.random() < 1 / 5
        lift = 1.0 if v == "control" else 1.08
        for lo, hi, mult in ((-14, 0, 1.0), (0, 14, lift)):
            if lo < 0 and new_unit:
                continue
            imps = int(b.rng.poisson(level))
            clicks = int(b.rng.binomial(imps, min(1.0, propensity * mult)))
            for name, k in (("impression", imps), ("click", clicks)):
                for _ in range(k):
                    b.event(u, name, fe + float(b.rng.integers(lo * 86400, hi * 86400)), props={"position": 1})
        # Outside both the window and the lookback: must not count anywhere.
        if b.rng.random() < 0.05:
            b.event(u, "impression", fe - 15 * DAY, props={"position": 1})
            b.event(u, "click", fe + 14 * DAY, props={"position": 1})
    ctr_metric = dict(metric="click_through_rate", tier="primary", kind="ratio", cuped=True,
                      numerator=dict(kind="count", event="click"), denominator=dict(kind="count", event="impression"))
    return workspace("ref_ratio_cuped", ["control", "treatment"], [ctr_metric])


def ds_srm(b):
    units = b.population("ref_srm", ["control", "treatment"], [55, 45], 2000)
    for u, v, fe in units:
        b.scatter(u, fe, "purchase", int(b.rng.random() < 0.3), props_fn=lambda: {"revenue": 12.5})
    return workspace("ref_srm", ["control", "treatment"], [CONVERSION], weights=[50, 50])


def ds_abn(b):
    vs = ["control", "blue", "green", "red"]
    units = b.population("ref_abn", vs, [25, 25, 25, 25], 3200)
    rate = {"control": 0.10, "blue": 0.10, "green": 0.13, "red": 0.118}
    for u, v, fe in units:
        b.scatter(u, fe, "purchase", int(b.rng.random() < rate[v] * 2.5),
                  props_fn=lambda: {"revenue": round(float(b.rng.gamma(2.0, 12.0)), 2)})
    return workspace("ref_abn", vs, [CONVERSION, REVENUE], weights=[25, 25, 25, 25])


def ds_aa(b):
    units = b.population("ref_aa", ["control", "treatment"], [50, 50], 2400)
    for u, v, fe in units:
        b.scatter(u, fe, "purchase", int(b.rng.random() < 0.25) * int(b.rng.poisson(1.5)),
                  props_fn=lambda: {"revenue": round(float(b.rng.gamma(2.0, 10.0)), 2)})
        b.scatter(u, fe, "page_view", int(b.rng.poisson(2.0)))
    views = dict(metric="page_views", tier="guardrail", kind="count", event="page_view", cuped=False)
    return workspace("ref_aa", ["control", "treatment"], [CONVERSION, REVENUE, views])


DATASETS = [
    ("conversion", 101, ds_conversion, [{}]),
    ("revenue", 102, ds_revenue, [{}]),
    ("count", 103, ds_count, [{}]),
    ("ratio", 104, ds_ratio, [{}]),
    ("ratio_cuped", 109, ds_ratio_cuped, [{}]),
    ("cuped", 105, ds_cuped, [{}]),
    ("srm", 106, ds_srm, [{}]),
    ("abn", 107, ds_abn, [{"correction": "bh"}, {"correction": "holm"}, {"correction": "bonferroni"}]),
    ("aa", 108, ds_aa, [{}]),
]


def main():
    for name, seed, build, runs in DATASETS:
        b = Builder(seed)
        ws = build(b)
        ws["runs"] = [dict(DEFAULT_ANALYSIS, **r) for r in runs]
        d = b.write(name, ws)
        expected = [analyze(d, ws, a) for a in ws["runs"]]
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump(expected, f, indent=1, allow_nan=False)
            f.write("\n")
        e = expected[0]
        print(name, e["units"], "multiple", e["multiple_exposures"], "srm p", round(e["srm"]["p_value"], 6),
              [(m["metric"], [(c["variant"], round(c["p_value"], 4)) for c in m["comparisons"]]) for m in e["metrics"]],
              [r["decision"]["recommendation"] for r in expected])


if __name__ == "__main__":
    main()
