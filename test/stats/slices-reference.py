"""Reference values for dimension breakdowns and fairness guardrails (src/stats/dimensions.ts,
src/stats/fairness.ts), computed from the unit-level data with pandas, SciPy and statsmodels.

The data (test/reference/slices/*.csv, written here with a fixed seed): 4,000 users split 50/50,
each with a platform and an age band recorded on its exposure; a tenth are exposed again two days
later with other attributes (the analysis must use the first exposure's). Purchases convert at 10%;
the treatment adds 3 points on web and android but 10 on ios (the heterogeneity to find) and takes
4 points away from the 55+ age band (the group the fairness guardrail must flag). Clicks are a
binary outcome whose true label is the purchase. Rare platform (tv) and age band (90+) values and
exposures without the attribute fall under the 100-unit minimum and are merged.

Per slice: Welch's t (scipy.stats.ttest_ind, equal_var=False) on the per-unit values, its interval
from the t quantile, the relative lift by the delta method; the SRM by scipy.stats.chisquare; the
p-values of a dimension corrected together by statsmodels' multipletests (fdr_bh); Cochran's Q and
I² by statsmodels' combine_effects. Fairness per group: the group's relative lift against the
other groups' together, demographic parity and equalized odds differences from the counts.

Run from the repository root:  /usr/bin/python3 test/stats/slices-reference.py
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.multitest import multipletests

SEED = 20261207
rng = np.random.default_rng(SEED)
OUT = Path("test/reference/slices")
UNITS = 4000
MIN_UNITS = 100
ALPHA = 0.05
MAX_DISPARITY = 0.1
START = pd.Timestamp("2026-11-01")

PLATFORMS = ["web", "ios", "android", "tv", None]
PLATFORM_P = [0.45, 0.30, 0.235, 0.01, 0.005]
AGES = ["18-34", "35-54", "55+", "90+"]
AGE_P = [0.40, 0.35, 0.23, 0.02]
LIFT = {"web": 0.03, "ios": 0.10, "android": 0.03, "tv": 0.03, None: 0.03}


def attributes(platform, age):
    a = {"age_band": age}
    if platform is not None:
        a["platform"] = platform
    return json.dumps(a, separators=(",", ":"))


def generate():
    exposures, events, units = [], [], []
    for i in range(UNITS):
        unit = f"u{i:05d}"
        variant = "treatment" if rng.random() < 0.5 else "control"
        platform = PLATFORMS[rng.choice(len(PLATFORMS), p=PLATFORM_P)]
        age = AGES[rng.choice(len(AGES), p=AGE_P)]
        first = START + pd.Timedelta(seconds=int(rng.integers(0, 9 * 86400)))
        exposures.append([unit, "checkout_slices", variant, first.isoformat(), "", attributes(platform, age)])
        if rng.random() < 0.1:
            later = first + pd.Timedelta(days=2)
            exposures.append([unit, "checkout_slices", variant, later.isoformat(), "", attributes("web", "18-34")])
        p = 0.10
        if variant == "treatment":
            p += LIFT[platform] - (0.04 if age == "55+" else 0.0)
        bought = rng.random() < p
        revenue = 0.0
        if bought:
            revenue = round(float(rng.lognormal(3.5, 0.6)), 2)
            ts = first + pd.Timedelta(seconds=int(rng.integers(3600, 10 * 86400)))
            events.append([unit, "", "purchase", ts.isoformat(), revenue, json.dumps({"revenue": revenue}), f"p{unit}"])
        click_p = (0.75 if bought else 0.2) + (0.05 if variant == "treatment" and age == "18-34" else 0.0)
        clicked = rng.random() < click_p
        if clicked:
            ts = first + pd.Timedelta(seconds=int(rng.integers(60, 5 * 86400)))
            events.append([unit, "", "click", ts.isoformat(), "", json.dumps({"position": 1}), f"c{unit}"])
        units.append(
            {
                "unit": unit,
                "variant": variant,
                "platform": platform if platform is not None else "(none)",
                "age_band": age,
                "purchase_conversion": float(bought),
                "revenue_per_user": revenue,
                "click_rate": float(clicked),
            }
        )
    OUT.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(exposures, columns=["unit_id", "experiment", "variant", "ts", "session_id", "attributes"]).to_csv(
        OUT / "exposures.csv", index=False
    )
    pd.DataFrame(events, columns=["unit_id", "session_id", "event", "ts", "value", "properties", "event_id"]).to_csv(
        OUT / "events.csv", index=False
    )
    return pd.DataFrame(units)


def groups_of(df, attribute):
    """The slices shown: values under the minimum merged into "(other)", which joins the smallest slice when still too small."""
    sizes = df.groupby(attribute).size()
    big = sorted([v for v in sizes.index if sizes[v] >= MIN_UNITS], key=lambda v: (-sizes[v], v))
    small = sorted(v for v in sizes.index if sizes[v] < MIN_UNITS)
    mapping = {v: v for v in big}
    if small:
        if sizes[small].sum() >= MIN_UNITS or not big:
            for v in small:
                mapping[v] = "(other)"
        else:
            smallest = big[-1]
            for v in [smallest, *small]:
                mapping[v] = f"{smallest} + (other)"
    out = df.assign(group=df[attribute].map(mapping))
    gsizes = out.groupby("group").size()
    order = sorted(gsizes.index, key=lambda g: (-gsizes[g], g))
    return out, order


def compare(t, c):
    res = stats.ttest_ind(t, c, equal_var=False)
    vt, vc = t.var(ddof=1) / len(t), c.var(ddof=1) / len(c)
    se = float(np.sqrt(vt + vc))
    dof = float((vt + vc) ** 2 / (vt**2 / (len(t) - 1) + vc**2 / (len(c) - 1)))
    diff = float(t.mean() - c.mean())
    q = stats.t.ppf(1 - ALPHA / 2, dof)
    mt, mc = t.mean(), c.mean()
    rel = float(mt / mc - 1)
    rel_se = float(np.sqrt(t.var(ddof=1) / len(t) / mc**2 + c.var(ddof=1) / len(c) * mt**2 / mc**4))
    z = stats.norm.ppf(1 - ALPHA / 2)
    return {
        "diff": diff,
        "se": se,
        "diff_ci": [diff - q * se, diff + q * se],
        "p_value": float(res.pvalue),
        "rel_lift": rel,
        "rel_se": rel_se,
        "rel_ci": [rel - z * rel_se, rel + z * rel_se],
    }


METRICS = ["purchase_conversion", "revenue_per_user", "click_rate"]


def dimension(df, attribute):
    grouped, order = groups_of(df, attribute)
    slices = []
    for g in order:
        part = grouped[grouped.group == g]
        n = part.groupby("variant").size().reindex(["control", "treatment"], fill_value=0)
        srm = stats.chisquare(n.values)
        metrics = {m: compare(part[part.variant == "treatment"][m], part[part.variant == "control"][m]) for m in METRICS}
        slices.append(
            {
                "slice": g,
                "units": {"control": int(n["control"]), "treatment": int(n["treatment"])},
                "srm": {"chi2": float(srm.statistic), "p_value": float(srm.pvalue)},
                "metrics": metrics,
            }
        )
    family = [s["metrics"][m]["p_value"] for s in slices for m in METRICS]
    adjusted = multipletests(family, method="fdr_bh")[1]
    k = 0
    for s in slices:
        for m in METRICS:
            s["metrics"][m]["p_value_adjusted"] = float(adjusted[k])
            k += 1
    heterogeneity = {}
    for m in METRICS:
        eff = np.array([s["metrics"][m]["diff"] for s in slices])
        var = np.array([s["metrics"][m]["se"] ** 2 for s in slices])
        res = combine_effects(eff, var, method_re="chi2")
        q = float(res.q)
        df_ = len(slices) - 1
        heterogeneity[m] = {
            "q": q,
            "df": df_,
            "p_value": float(stats.chi2.sf(q, df_)),
            "i2": float(max(0.0, res.i2)),
            "pooled": float(res.mean_effect_fe),
        }
    return {"dimension": attribute, "slices": slices, "heterogeneity": heterogeneity}


def fairness(df):
    grouped, order = groups_of(df, "age_band")
    out = {"attribute": "age_band", "groups": [], "labels": {}}
    z = stats.norm.ppf(1 - ALPHA)
    for g in order:
        part, rest = grouped[grouped.group == g], grouped[grouped.group != g]
        entry = {"group": g, "units": int(len(part)), "metrics": {}}
        for m in ["purchase_conversion"]:
            mine = compare(part[part.variant == "treatment"][m], part[part.variant == "control"][m])
            others = compare(rest[rest.variant == "treatment"][m], rest[rest.variant == "control"][m])
            d = mine["rel_lift"] - others["rel_lift"]
            se = float(np.sqrt(mine["rel_se"] ** 2 + others["rel_se"] ** 2))
            lo, hi = d - z * se, d + z * se
            status = "breached" if lo > MAX_DISPARITY or hi < -MAX_DISPARITY else "passed" if -MAX_DISPARITY <= lo and hi <= MAX_DISPARITY else "inconclusive"
            entry["metrics"][m] = {
                "status": status,
                "rel_lift": mine["rel_lift"],
                "others_rel_lift": others["rel_lift"],
                "disparity": d,
                "disparity_ci": [d - z * se, d + z * se],
            }
        out["groups"].append(entry)
    for variant in ["control", "treatment"]:
        rates, tpr, fpr = [], [], []
        for g in order:
            part = grouped[(grouped.group == g) & (grouped.variant == variant)]
            yhat, y = part["click_rate"], part["purchase_conversion"]
            rates.append(yhat.mean())
            tpr.append(yhat[y == 1].mean())
            fpr.append(yhat[y == 0].mean())
        out["labels"][variant] = {
            "demographic_parity_difference": float(max(rates) - min(rates)),
            "equalized_odds_difference": float(max(max(tpr) - min(tpr), max(fpr) - min(fpr))),
        }
    return out


def main():
    df = generate()
    ref = {
        "seed": SEED,
        "min_units": MIN_UNITS,
        "alpha": ALPHA,
        "dimensions": [dimension(df, "platform")],
        "max_disparity": MAX_DISPARITY,
        "fairness": fairness(df),
    }
    Path("test/stats/slices-reference.json").write_text(json.dumps(ref, indent=2) + "\n")


main()
