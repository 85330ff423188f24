"""Reference values for regression adjustment on several covariates (src/stats/cupac.ts), from statsmodels.

A three-variant experiment on revenue per user, `sum(purchase.value)` over 7 days after first exposure.
Each user has a latent spending level that drives both the pre-period (the 14 days before first
exposure) and the window, so the pre-period revenue, page views and orders all predict the outcome.
The warehouse tables are written to test/reference/cupac/ (exposures.csv, events.csv); the per-user
values are then recomputed here from those rows, with the analysis windows of docs/analysis.md
(first exposure wins; the window is [first, first + 7d), the lookback [first - 14d, first)), and fitted
as ordinary least squares

    y ~ C(variant, Treatment("control")) + pre_revenue + pre_page_views + pre_orders

with the classical (non-robust) covariance: each treatment coefficient, its SE, p-value and 95% CI
(Student t on the residual degrees of freedom) are what `exp analyze` must report for the metric with
`cuped: { covariates: [page_views, orders] }`. The variance reduction is 1 - SSR(full) / SSR(variant
only); the single-covariate figure uses pre_revenue alone. `with_attribute` is the same fit with the
exposure attribute account_age_days added (its value on the first exposure, 0 and an indicator where
it is missing), for `cuped: { covariates: [page_views, orders, {attribute: account_age_days}] }`.

Run from the repository root:  /usr/bin/python3 test/stats/cupac-reference.py
"""

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

SEED = 20261207
rng = np.random.default_rng(SEED)
OUT = Path("test/reference/cupac")
EXPERIMENT = "checkout_cupac"
VARIANTS = ["control", "one_click", "saved_cards"]
LIFT = {"control": 0.0, "one_click": 0.25, "saved_cards": 0.0}
START = datetime(2026, 11, 1)
WINDOW = timedelta(days=7)
LOOKBACK = timedelta(days=14)
UNITS = 2000


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def generate():
    exposures, events = [], []
    for i in range(1, UNITS + 1):
        unit = f"u{i:05d}"
        variant = VARIANTS[rng.integers(0, len(VARIANTS))]
        first = START + timedelta(seconds=int(rng.integers(0, 7 * 86400)))
        k = len(exposures)
        exposures.append([unit, EXPERIMENT, variant, stamp(first), "", ""])
        if rng.random() < 0.05:  # a repeat exposure: the first one counts
            exposures.append([unit, EXPERIMENT, variant, stamp(first + timedelta(hours=int(rng.integers(1, 48)))), "", ""])
        level = rng.gamma(2.0, 0.5)
        # The account age recorded with the exposure follows the spending level (no new random draw, so
        # the rest of the data is what it was without it): missing for every tenth user, absent from
        # the attributes of every tenth other one, and different on a repeat exposure, which is ignored.
        age = int(round(60 * level)) + i % 13
        if i % 10 == 0:
            exposures[k][5] = ""
        elif i % 10 == 5:
            exposures[k][5] = json.dumps({"country": "US"}, separators=(",", ":"))
        else:
            exposures[k][5] = json.dumps({"account_age_days": age, "country": "US"}, separators=(",", ":"))
        if len(exposures) == k + 2:
            exposures[k + 1][5] = json.dumps({"account_age_days": age + 1000}, separators=(",", ":"))

        def emit(event, start, span, rate, value):
            for _ in range(rng.poisson(rate)):
                t = start + timedelta(seconds=int(rng.integers(0, int(span.total_seconds()))))
                events.append([unit, "", event, stamp(t), value() if value else "", "", ""])

        spend = lambda: f"{rng.lognormal(3.0 + 0.3 * level, 0.4):.2f}"
        emit("page_view", first - LOOKBACK, LOOKBACK, 3 * level, None)
        emit("purchase", first - LOOKBACK, LOOKBACK, 1.2 * level, spend)
        emit("purchase", first - 3 * LOOKBACK, LOOKBACK, 1.0 * level, spend)  # before the lookback: ignored
        emit("page_view", first, WINDOW, 1 * level, None)
        emit("purchase", first, WINDOW, 0.6 * level * (1 + LIFT[variant]), spend)
        if rng.random() < 0.03:  # exactly at the window end: out
            events.append([unit, "", "purchase", stamp(first + WINDOW), "99.00", "", ""])
        if rng.random() < 0.03:  # exactly at first exposure: in
            events.append([unit, "", "purchase", stamp(first), "10.00", "", ""])
    for i in range(1, 41):  # an unexposed user's purchases and another experiment's exposures
        events.append([f"z{i:04d}", "", "purchase", stamp(START + timedelta(days=2)), "20.00", "", ""])
        exposures.append([f"z{i:04d}", "other_test", "on", stamp(START + timedelta(days=1)), "", ""])
    for i, e in enumerate(events):
        e[6] = f"e{i:06d}"
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "exposures.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit_id", "experiment", "variant", "ts", "session_id", "attributes"])
        w.writerows(exposures)
    with open(OUT / "events.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit_id", "session_id", "event", "ts", "value", "properties", "event_id"])
        w.writerows(events)


def unit_frame():
    """Per-user outcome and covariates, recomputed from the CSV rows alone."""
    exp = pd.read_csv(OUT / "exposures.csv", parse_dates=["ts"])
    exp = exp[exp.experiment == EXPERIMENT]
    first = exp.sort_values("ts").groupby("unit_id").agg(variant=("variant", "first"), first=("ts", "min"))
    # The first exposure row itself (groupby's "first" would skip an empty value and take a later row's).
    first["attributes"] = exp.sort_values("ts", kind="stable").drop_duplicates("unit_id", keep="first").set_index("unit_id").attributes
    age = first.attributes.map(lambda a: json.loads(a).get("account_age_days") if isinstance(a, str) and a else None)
    first["age_missing"] = age.isna().astype(float)
    first["age"] = age.fillna(0.0).astype(float)
    first = first.drop(columns=["attributes"])
    ev = pd.read_csv(OUT / "events.csv", parse_dates=["ts"]).merge(first, left_on="unit_id", right_index=True)
    in_window = (ev.ts >= ev["first"]) & (ev.ts < ev["first"] + WINDOW)
    in_lookback = (ev.ts >= ev["first"] - LOOKBACK) & (ev.ts < ev["first"])
    buy, view = ev.event == "purchase", ev.event == "page_view"
    units = first.copy()
    units["y"] = ev[in_window & buy].groupby("unit_id")["value"].sum()
    units["pre_revenue"] = ev[in_lookback & buy].groupby("unit_id")["value"].sum()
    units["pre_page_views"] = ev[in_lookback & view].groupby("unit_id").size()
    units["pre_orders"] = ev[in_lookback & buy].groupby("unit_id").size()
    return units.fillna(0.0).reset_index()


def main():
    generate()
    units = unit_frame()
    treat = 'C(variant, Treatment("control"))'
    covariates = ["pre_revenue", "pre_page_views", "pre_orders"]
    full = smf.ols(f"y ~ {treat} + {' + '.join(covariates)}", data=units).fit()
    own = smf.ols(f"y ~ {treat} + pre_revenue", data=units).fit()
    plain = smf.ols(f"y ~ {treat}", data=units).fit()
    ci = full.conf_int(alpha=0.05)
    comparisons = []
    for v in VARIANTS[1:]:
        name = f"{treat}[T.{v}]"
        comparisons.append(
            {
                "variant": v,
                "diff": float(full.params[name]),
                "se": float(full.bse[name]),
                "p_value": float(full.pvalues[name]),
                "ci": [float(ci.loc[name, 0]), float(ci.loc[name, 1])],
                "unadjusted_diff": float(plain.params[name]),
            }
        )
    # The same metric also adjusted on an exposure attribute: the value on the first exposure, 0 with an
    # indicator where it is missing (docs/analysis.md#multiple-covariates).
    with_attribute = covariates + ["age", "age_missing"]
    attr = smf.ols(f"y ~ {treat} + {' + '.join(with_attribute)}", data=units).fit()
    attr_ci = attr.conf_int(alpha=0.05)
    attribute = {
        "covariates": ["revenue", "page_views", "orders", "attribute account_age_days", "attribute account_age_days missing"],
        "missing": int(units.age_missing.sum()),
        "df_resid": float(attr.df_resid),
        "theta": [float(attr.params[c]) for c in with_attribute],
        "variance_reduction": float(1 - attr.ssr / plain.ssr),
        "comparisons": [
            {
                "variant": v,
                "diff": float(attr.params[f"{treat}[T.{v}]"]),
                "se": float(attr.bse[f"{treat}[T.{v}]"]),
                "p_value": float(attr.pvalues[f"{treat}[T.{v}]"]),
                "ci": [float(attr_ci.loc[f"{treat}[T.{v}]", 0]), float(attr_ci.loc[f"{treat}[T.{v}]", 1])],
            }
            for v in VARIANTS[1:]
        ],
    }
    out = {
        "source": "test/stats/cupac-reference.py (statsmodels OLS, classical covariance)",
        "experiment": EXPERIMENT,
        "metric": "revenue",
        "covariates": ["revenue", "page_views", "orders"],
        "units": {v: int((units.variant == v).sum()) for v in VARIANTS},
        "df_resid": float(full.df_resid),
        "theta": [float(full.params[c]) for c in covariates],
        "variance_reduction": float(1 - full.ssr / plain.ssr),
        "first_covariate_reduction": float(1 - own.ssr / plain.ssr),
        "comparisons": comparisons,
        "with_attribute": attribute,
    }
    Path("test/stats/cupac-reference.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
