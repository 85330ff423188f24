"""The analysis semantics of docs/analysis.md applied to raw warehouse rows, with SciPy/statsmodels doing the tests.

Used by generate.py to compute the expected outputs of the reference datasets.
"""
import json
import math
import os

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

DAY = 86400.0
QZ = 1.959964


def parse_ts(s):
    return pd.to_datetime(s, utc=True).astype("int64") // 10**9


def load(d):
    exp = pd.read_csv(os.path.join(d, "exposures.csv"), dtype=str, keep_default_na=False)
    ev = pd.read_csv(os.path.join(d, "events.csv"), dtype=str, keep_default_na=False)
    exp["t"] = parse_ts(exp["ts"])
    ev["t"] = parse_ts(ev["ts"])
    return exp, ev


def field_value(row_props, row_value, field):
    if field == "value":
        return float(row_value) if row_value != "" else math.nan
    key = field.split(".", 1)[1]
    v = json.loads(row_props).get(key) if row_props else None
    return float(v) if v is not None else math.nan


def exposed_units(exp, experiment):
    e = exp[exp["experiment"] == experiment]
    g = e.groupby("unit_id").agg(first=("t", "min"), nvar=("variant", "nunique"), variant=("variant", "first"))
    multiple = int((g["nvar"] > 1).sum())
    g = g[g["nvar"] == 1]
    return g, multiple


def unit_values(ev, units, spec, lo_days, hi_days):
    """Per-unit value of a simple metric over [first + lo, first + hi); NaN for mean without events."""
    sel = ev[ev["event"] == spec["event"]].merge(units[["first"]], left_on="unit_id", right_index=True)
    sel = sel[(sel["t"] >= sel["first"] + lo_days * DAY) & (sel["t"] < sel["first"] + hi_days * DAY)]
    kind = spec["kind"]
    if kind in ("sum", "mean"):
        sel = sel.assign(v=[field_value(p, v, spec["field"]) for p, v in zip(sel["properties"], sel["value"])])
    out = pd.Series(index=units.index, dtype=float)
    if kind == "conversion":
        s = sel.groupby("unit_id").size()
        out[:] = 0.0
        out[s.index] = 1.0
    elif kind == "count":
        s = sel.groupby("unit_id").size()
        out[:] = 0.0
        out[s.index] = s.astype(float)
    elif kind == "sum":
        s = sel.groupby("unit_id")["v"].sum()
        out[:] = 0.0
        out[s.index] = s
    elif kind == "mean":
        s = sel.groupby("unit_id")["v"].mean()
        out[:] = math.nan
        out[s.index] = s
    return out


def quantile_events(ev, units, spec, window):
    sel = ev[ev["event"] == spec["event"]].merge(units[["first", "variant"]], left_on="unit_id", right_index=True)
    sel = sel[(sel["t"] >= sel["first"]) & (sel["t"] < sel["first"] + window * DAY)]
    sel = sel.assign(v=[field_value(p, v, spec["field"]) for p, v in zip(sel["properties"], sel["value"])])
    return sel


def quantile_summary(events, q):
    """Sample quantile (linear interpolation, as percentile_cont) with its standard error clustered by
    unit: the order statistics at 1-based ranks ceil(n·q ∓ z·sqrt(n·q·(1−q))) give the SE if the events
    were independent, and the design effect of clustering on the share of events at or below the
    sample quantile (a ratio over units, by the delta method) scales its variance."""
    events = events[~events["v"].isna()]
    x = np.sort(events["v"].to_numpy(dtype=float))
    n = len(x)
    h = QZ * math.sqrt(n * q * (1 - q))
    lo, hi = math.ceil(n * q - h), math.ceil(n * q + h)
    if lo < 1 or hi > n:
        raise ValueError(f"{n} events are too few for the interval of the {q} quantile; enlarge the dataset")
    value = float(np.quantile(x, q))
    se_iid = (x[hi - 1] - x[lo - 1]) / (2 * QZ)
    per_unit = events.assign(b=(events["v"] <= value).astype(float)).groupby("unit_id").agg(
        events=("v", "size"), below=("b", "sum"))
    share = per_unit["below"].sum() / n
    linear = (per_unit["below"] - share * per_unit["events"]) / per_unit["events"].mean()
    design_effect = (linear.var(ddof=1) / len(per_unit)) / (share * (1 - share) / n)
    return dict(n=n, value=value, se2=float(se_iid**2 * design_effect))


def welch(yt, yc, alpha):
    cm = CompareMeans(DescrStatsW(yt), DescrStatsW(yc))
    lo, hi = cm.tconfint_diff(alpha=alpha, usevar="unequal")
    p = stats.ttest_ind(yt, yc, equal_var=False).pvalue
    mt, mc = yt.mean(), yc.mean()
    vt, vc = yt.var(ddof=1), yc.var(ddof=1)
    rel = mt / mc - 1
    rel_var = vt / len(yt) / mc**2 + vc / len(yc) * mt**2 / mc**4
    return dict(diff=mt - mc, diff_ci=[lo, hi], rel_lift=rel, rel_se=math.sqrt(rel_var), p_value=float(p))


def normal_cmp(mt, vt_over_n, mc, vc_over_n, alpha):
    z = stats.norm.ppf(1 - alpha / 2)
    diff = mt - mc
    se = math.sqrt(vt_over_n + vc_over_n)
    rel = mt / mc - 1
    rel_se = math.sqrt(vt_over_n / mc**2 + vc_over_n * mt**2 / mc**4)
    return dict(diff=diff, diff_ci=[diff - z * se, diff + z * se], rel_lift=rel, rel_se=rel_se,
                p_value=float(2 * stats.norm.sf(abs(diff / se))))


def ratio_delta(num, den):
    n = len(num)
    mn, md = num.mean(), den.mean()
    c = np.cov(num, den, ddof=1)
    var = c[0, 0] / md**2 + c[1, 1] * mn**2 / md**4 - 2 * c[0, 1] * mn / md**3
    return num.sum() / den.sum(), var, n


def linearised(num, den, pnum, pden):
    """Delta-method linearisation of Y = Σnum/Σden and X = Σpnum/Σpden: each unit's contribution
    (num − Y·den)/mean(den), (pnum − X·pden)/mean(pden), whose sample variance over n is the
    squared SE of the ratio."""
    ry, rx = num.sum() / den.sum(), pnum.sum() / pden.sum()
    return ry, rx, (num - ry * den) / den.mean(), (pnum - rx * pden) / pden.mean()


def ratio_cuped_fit(num, den, pnum, pden, variant_of, variants):
    """Regression-adjusted ratio (GrowthBook's RegressionAdjustedRatioStatistic): each arm linearised
    around its own ratios, θ = Σ_arms cov(Ylin, Xlin) / Σ_arms var(Xlin)."""
    a = [s.to_numpy() for s in (num, den, pnum, pden)]
    rx_all = a[2].sum() / a[3].sum()
    arms = {}
    for v in variants:
        idx = (variant_of == v).to_numpy()
        ry, rx, yl, xl = linearised(*(x[idx] for x in a))
        arms[v] = dict(n=int(idx.sum()), ry=ry, rx=rx, ylin=yl, xlin=xl)
    cov = sum(np.cov(arm["ylin"], arm["xlin"], ddof=1)[0, 1] for arm in arms.values())
    var_x = sum(np.var(arm["xlin"], ddof=1) for arm in arms.values())
    var_y = sum(np.var(arm["ylin"], ddof=1) for arm in arms.values())
    if not var_x > 0:
        return None  # no covariate to regress on: the ratio is reported unadjusted
    theta = float(cov / var_x)
    var_adj = sum(np.var(arm["ylin"] - theta * arm["xlin"], ddof=1) for arm in arms.values())
    for arm in arms.values():
        arm["mean"] = arm["ry"] - theta * (arm["rx"] - rx_all)
        arm["var"] = float(np.var(arm["ylin"] - theta * arm["xlin"], ddof=1))
    return dict(theta=theta, reduction=float(1 - var_adj / var_y), arms=arms)


def ratio_cuped_cmp(fit, v, control, alpha):
    """z-test of the adjusted ratios; the relative lift is the adjusted difference over the
    unadjusted control ratio, its variance the delta method with θ fixed and the exact gradient of
    diff/ratio_c: the control's linearised Y is scaled by (ratio_c + diff)/ratio_c."""
    t, c, theta = fit["arms"][v], fit["arms"][control], fit["theta"]
    z = stats.norm.ppf(1 - alpha / 2)
    diff = t["mean"] - c["mean"]
    se = math.sqrt(t["var"] / t["n"] + c["var"] / c["n"])
    rel = diff / c["ry"]
    v_t = t["var"] / (t["n"] * c["ry"] ** 2)
    v_c = np.var((c["ry"] + diff) / c["ry"] * c["ylin"] - theta * c["xlin"], ddof=1) / (c["n"] * c["ry"] ** 2)
    return dict(diff=diff, diff_ci=[diff - z * se, diff + z * se], rel_lift=rel, rel_se=math.sqrt(v_t + v_c),
                p_value=float(2 * stats.norm.sf(abs(diff / se))))


def rel_interval(rel, se, alpha):
    z = stats.norm.ppf(1 - alpha / 2)
    return [rel - z * se, rel + z * se]


def analyze(d, ws, analysis):
    exp, ev = load(d)
    units, multiple = exposed_units(exp, ws["experiment"])
    variants = [v["key"] for v in ws["variants"]]
    control = ws["control"]
    alpha = analysis["alpha"]
    window, lookback = analysis["window_days"], analysis["cuped_lookback_days"]
    counts = {v: int((units["variant"] == v).sum()) for v in variants}

    w = np.array([v["weight"] for v in ws["variants"]], dtype=float)
    obs = np.array([counts[v] for v in variants], dtype=float)
    chi = stats.chisquare(obs, obs.sum() * w / w.sum())
    srm = dict(chi2=float(chi.statistic), p_value=float(chi.pvalue), ok=bool(chi.pvalue >= analysis["srm_threshold"]))

    order = {"primary": 0, "secondary": 1, "guardrail": 2}
    metrics = sorted(ws["metrics"], key=lambda m: order[m["tier"]])  # stable: declaration order kept
    out_metrics, family = [], []
    for m in metrics:
        kind = m["kind"]
        vs, comps = {}, []
        cuped_wanted = m.get("cuped", True) and kind != "quantile"
        if kind == "quantile":
            sel = quantile_events(ev, units, m, window)
            qs = {v: quantile_summary(sel[sel["variant"] == v], m["quantile"]) for v in variants}
            se2 = {v: qs[v]["se2"] for v in variants}
            for v in variants:
                vs[v] = dict(n=qs[v]["n"], mean=qs[v]["value"], variance=se2[v] * qs[v]["n"])
            for v in variants:
                if v != control:
                    comps.append(dict(variant=v, **normal_cmp(qs[v]["value"], se2[v], qs[control]["value"], se2[control], alpha)))
        elif kind == "ratio":
            num = unit_values(ev, units, m["numerator"], 0, window)
            den = unit_values(ev, units, m["denominator"], 0, window)
            r = {}
            for v in variants:
                idx = units["variant"] == v
                r[v] = ratio_delta(num[idx].to_numpy(), den[idx].to_numpy())
                # r[v][1] is the per-unit delta-method variance: n × Var(ratio estimate).
                vs[v] = dict(n=r[v][2], mean=r[v][0], variance=r[v][1])
            pre = None
            if cuped_wanted:
                pnum = unit_values(ev, units, m["numerator"], -lookback, 0)
                pden = unit_values(ev, units, m["denominator"], -lookback, 0)
                if all(pden[units["variant"] == v].sum() > 0 for v in variants):
                    pre = ratio_cuped_fit(num, den, pnum, pden, units["variant"], variants)
            for v in variants:
                if v == control:
                    continue
                c = normal_cmp(r[v][0], r[v][1] / r[v][2], r[control][0], r[control][1] / r[control][2], alpha)
                if pre is not None:
                    raw = c
                    c = ratio_cuped_cmp(pre, v, control, alpha)
                    c["cuped"] = dict(applied=True, theta=pre["theta"], variance_reduction=pre["reduction"],
                                      unadjusted=dict(diff=raw["diff"], diff_ci=raw["diff_ci"], p_value=raw["p_value"]))
                elif cuped_wanted:
                    c["cuped"] = dict(applied=False)
                comps.append(dict(variant=v, **c))
        else:
            y = unit_values(ev, units, m, 0, window)
            keep = ~y.isna()
            y = y[keep]
            var_of = units.loc[y.index, "variant"]
            for v in variants:
                yv = y[var_of == v].to_numpy()
                vs[v] = dict(n=len(yv), mean=float(yv.mean()), variance=float(yv.var(ddof=1)))
            use_cuped = cuped_wanted and kind in ("conversion", "count", "sum")
            if use_cuped:
                x = unit_values(ev, units, m, -lookback, 0)[y.index]
                yy, xx = y.to_numpy(), x.to_numpy()
                theta = np.cov(yy, xx, ddof=1)[0, 1] / xx.var(ddof=1)
                yadj = yy - theta * (xx - xx.mean())
                reduction = 1 - yadj.var(ddof=1) / yy.var(ddof=1)
            for v in variants:
                if v == control:
                    continue
                it, ic = (var_of == v).to_numpy(), (var_of == control).to_numpy()
                yt, yc = y.to_numpy()[it], y.to_numpy()[ic]
                raw = welch(yt, yc, alpha)
                if use_cuped:
                    adj = welch(yadj[it], yadj[ic], alpha)
                    xt, xc = xx[it], xx[ic]
                    mct, mcc = yt.mean(), yc.mean()
                    rel = adj["diff"] / mcc
                    v_t = yadj[it].var(ddof=1) / (len(yt) * mcc**2)
                    cov_c = np.cov(yc, xc, ddof=1)[0, 1]
                    v_c = (yc.var(ddof=1) * mct**2 / mcc**2 - 2 * theta * cov_c * mct / mcc + theta**2 * xc.var(ddof=1)) / (len(yc) * mcc**2)
                    c = dict(diff=adj["diff"], diff_ci=adj["diff_ci"], rel_lift=rel, rel_se=math.sqrt(v_t + v_c), p_value=adj["p_value"])
                    c["cuped"] = dict(applied=True, theta=float(theta), variance_reduction=float(reduction),
                                      unadjusted=dict(diff=raw["diff"], diff_ci=raw["diff_ci"], p_value=raw["p_value"]))
                else:
                    c = raw
                    if cuped_wanted:
                        c["cuped"] = dict(applied=False)
                comps.append(dict(variant=v, **c))
        for c in comps:
            c["rel_ci"] = rel_interval(c["rel_lift"], c["rel_se"], alpha)
            if m["tier"] != "guardrail":
                family.append(c)
            else:
                c["p_value_adjusted"] = c["p_value"]
        out_metrics.append(dict(metric=m["metric"], tier=m["tier"], kind=kind, direction=m.get("direction", "increase"),
                                variants=vs, comparisons=comps, _design=m))

    if family:
        pv = [c["p_value"] for c in family]
        method = {"bh": "fdr_bh", "holm": "holm", "bonferroni": "bonferroni", "none": None}[analysis["correction"]]
        adj = pv if method is None else multipletests(pv, alpha=alpha, method=method)[1]
        for c, a in zip(family, adj):
            c["p_value_adjusted"] = float(a)
    for om in out_metrics:
        for c in om["comparisons"]:
            c["significant"] = bool(c["p_value_adjusted"] < alpha)

    guardrails = []
    for om in out_metrics:
        m = om["_design"]
        if m["tier"] != "guardrail":
            continue
        gv = []
        for c in om["comparisons"]:
            inc = om["direction"] == "increase"
            if "max_regression" not in m:
                worse = c["diff"] < 0 if inc else c["diff"] > 0
                status = "breached" if worse and c["p_value"] < alpha else "passed"
                gv.append(dict(variant=c["variant"], status=status, rel_lift=c["rel_lift"], bound=None, p_value=c["p_value"]))
                continue
            mr, z = m["max_regression"], stats.norm.ppf(1 - alpha)
            rel, se = c["rel_lift"], c["rel_se"]
            if inc:
                bound, breached, p = rel - z * se, rel + z * se < -mr, stats.norm.sf((rel + mr) / se)
                passed = bound > -mr
            else:
                bound, breached, p = rel + z * se, rel - z * se > mr, stats.norm.sf((mr - rel) / se)
                passed = bound < mr
            status = "breached" if breached else "passed" if passed else "inconclusive"
            gv.append(dict(variant=c["variant"], status=status, rel_lift=rel, bound=float(bound), p_value=float(p)))
        guardrails.append(dict(metric=om["metric"], passed=all(g["status"] == "passed" for g in gv),
                               breached=any(g["status"] == "breached" for g in gv), direction=om["direction"],
                               max_regression=m.get("max_regression"), variants=gv))

    recommendation = decide(srm, out_metrics, guardrails, ws["design"], counts, float(units["first"].min()))
    for om in out_metrics:
        del om["_design"]
        for c in om["comparisons"]:
            del c["rel_se"]
    return dict(experiment=ws["experiment"], phase=ws["phase"], method="fixed", alpha=alpha, correction=analysis["correction"],
                units=counts, multiple_exposures=multiple, srm=srm, metrics=out_metrics, guardrails=guardrails,
                decision=dict(recommendation=recommendation))


def decide(srm, metrics, guardrails, design, units, first_exposure):
    """The decision framework (docs/analysis.md#decision) for a fixed-horizon analysis: the gates (minimum
    duration since the first exposure, minimum units per variant, the schedule end as the horizon), then
    the evidence. A treatment ships only when every guardrail passed for it."""
    if not srm["ok"]:
        return "investigate"
    if any(g["breached"] for g in guardrails):
        return "rollback"
    as_of = parse_iso(design["as_of"])
    if as_of - first_exposure < design["min_duration_days"] * DAY:
        return "keep_running"
    if min(units.values()) < design["min_units_per_variant"]:
        return "keep_running"
    if as_of < parse_iso(design["schedule"]["end"]):
        return "keep_running"
    wins, losses = set(), set()
    for m in metrics:
        if m["tier"] != "primary":
            continue
        for c in m["comparisons"]:
            if c["significant"]:
                good = c["diff"] > 0 if m["direction"] == "increase" else c["diff"] < 0
                (wins if good else losses).add(c["variant"])
    winners = wins - losses
    cleared = [v for v in winners
               if all(any(x["variant"] == v and x["status"] == "passed" for x in g["variants"]) for g in guardrails)]
    if cleared:
        return "ship"
    if winners:
        return "keep_running"
    if losses:
        return "stop"
    return "keep_running"


def parse_iso(text):
    return int(pd.Timestamp(text).timestamp())
