"""Reference values for the factorial analysis (src/stats/factorial.ts), from statsmodels.

Two planted designs: a 2 x 3 experiment with a continuous outcome whose spread differs by cell and
an interaction between the factors, and a 2 x 2 x 2 experiment with a conversion outcome. Each is
fitted as a saturated cell-means regression (one indicator per cell, no intercept) with the
heteroskedasticity-robust HC2 covariance; every main effect and two-way interaction is a contrast of
the cell coefficients tested with `t_test` (normal inference, statsmodels' default for robust
covariances). The contrasts are built here from marginal means, independently of the TypeScript.

Run from the repository root:  /usr/bin/python3 test/stats/factorial-reference.py
"""

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

SEED = 20261206
rng = np.random.default_rng(SEED)


def cell_key(levels):
    return "_".join(levels)


def design(factors, outcome, units=None):
    """Cell sizes vary (180 to 319 each), or come from assigning `units` units uniformly at random."""
    names = list(factors)
    combos = list(itertools.product(*factors.values()))
    sizes = rng.multinomial(units, [1 / len(combos)] * len(combos)) if units else rng.integers(180, 320, len(combos))
    rows = []
    for combo, n in zip(combos, sizes):
        n = int(n)
        for y in outcome(dict(zip(names, combo)), n):
            rows.append({"cell": cell_key(combo), "y": float(y)})
    df = pd.DataFrame(rows)
    return df, analyse(factors, df)


def analyse(factors, df):
    names = list(factors)
    cells = [cell_key(c) for c in itertools.product(*factors.values())]
    fit = smf.ols("y ~ C(cell, levels=cells) - 1", data=df).fit(cov_type="HC2")
    stats = df.groupby("cell")["y"].agg(["count", "mean", "var"])
    out_cells = {
        k: {"n": int(stats.loc[k, "count"]), "mean": float(stats.loc[k, "mean"]), "variance": float(stats.loc[k, "var"])}
        for k in cells
    }
    terms = []

    def marginal(fixed):
        """Weights of the equal-weight mean over every cell matching `fixed` (factor -> level)."""
        match = [c for c in itertools.product(*factors.values()) if all(c[names.index(f)] == l for f, l in fixed.items())]
        w = np.zeros(len(cells))
        for c in match:
            w[cells.index(cell_key(c))] += 1 / len(match)
        return w

    for f in names:
        base = factors[f][0]
        for level in factors[f][1:]:
            terms.append((f, f"{level} vs {base}", marginal({f: level}) - marginal({f: base})))
    for f, g in itertools.combinations(names, 2):
        fb, gb = factors[f][0], factors[g][0]
        for a in factors[f][1:]:
            for b in factors[g][1:]:
                w = marginal({f: a, g: b}) - marginal({f: a, g: gb}) - marginal({f: fb, g: b}) + marginal({f: fb, g: gb})
                terms.append((f"{f} × {g}", f"({a} vs {fb}) × ({b} vs {gb})", w))
    out_terms = []
    for term, contrast, w in terms:
        t = fit.t_test(w.reshape(1, -1))
        lo, hi = t.conf_int(alpha=0.05)[0]
        out_terms.append(
            {
                "term": term,
                "contrast": contrast,
                "estimate": float(np.asarray(t.effect).ravel()[0]),
                "se": float(np.asarray(t.sd).ravel()[0]),
                "p_value": float(np.asarray(t.pvalue).ravel()[0]),
                "ci": [float(lo), float(hi)],
            }
        )
    return {"factors": factors, "cells": out_cells, "terms": out_terms}


def continuous(levels, n):
    effect = {"green": 0.0, "blue": 0.6}[levels["color"]] + {"small": 0.0, "medium": 0.2, "large": 0.5}[levels["size"]]
    interaction = 0.4 if (levels["color"], levels["size"]) == ("blue", "large") else 0.0
    spread = {"small": 1.0, "medium": 1.6, "large": 2.4}[levels["size"]]
    return 10 + effect + interaction + spread * rng.standard_normal(n)


def conversion(levels, n):
    p = 0.10 + (0.03 if levels["copy"] == "short" else 0) + (0.02 if levels["image"] == "photo" else 0)
    p += 0.025 if (levels["copy"], levels["price"]) == ("short", "rounded") else 0
    return (rng.random(n) < p).astype(float)


_, continuous_ref = design({"color": ["green", "blue"], "size": ["small", "medium", "large"]}, continuous)
conversion_factors = {"copy": ["long", "short"], "image": ["drawing", "photo"], "price": ["exact", "rounded"]}
conversion_df, conversion_ref = design(conversion_factors, conversion, units=2000)
out = {
    "seed": SEED,
    "source": "statsmodels OLS, saturated cell-means model, cov_type=HC2, t_test contrasts (normal inference)",
    "designs": {"continuous_2x3": continuous_ref, "conversion_2x2x2": conversion_ref},
}
Path(__file__).with_name("factorial-reference.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")

# The conversion design as warehouse tables (docs/workspace.md), for `exp analyze` end to end
# (test/e2e/analysis/factorial.test.ts): each unit exposed once in the first week; a converter
# purchases between 1 and 47 hours later (inside a 7-day window). Some units also have a purchase
# before their exposure, which never counts.
start = pd.Timestamp("2026-11-02T00:00:00")
exposures = ["unit_id,experiment,variant,ts,session_id,attributes"]
events = ["unit_id,session_id,event,ts,value,properties,event_id"]
for i, row in enumerate(conversion_df.itertuples(index=False)):
    unit = f"u{i + 1:05d}"
    at = start + pd.Timedelta(seconds=int(rng.integers(0, 6 * 86400)))
    exposures.append(f"{unit},button_factorial,{row.cell},{at.isoformat()},,")
    if row.y == 1.0:
        later = at + pd.Timedelta(hours=int(rng.integers(1, 48)))
        events.append(f"{unit},,purchase,{later.isoformat()},{rng.integers(10, 90)},,e{unit}")
    if rng.random() < 0.1:
        events.append(f"{unit},,purchase,{(at - pd.Timedelta(days=1)).isoformat()},5,,pre{unit}")
folder = Path(__file__).parent.parent / "reference" / "factorial"
folder.mkdir(exist_ok=True)
(folder / "exposures.csv").write_text("\n".join(exposures) + "\n")
(folder / "events.csv").write_text("\n".join(events) + "\n")
