"""Reference values for `exp analyze --holdout` (docs/analysis.md#holdouts), from SciPy and statsmodels.

3000 users log page views and purchases; users outside the holdout `global_2026` (10% of traffic)
purchase more often. Holdout membership is recomputed here with an independent MurmurHash3 x86 32-bit
(docs/hashing.md: bucket = murmur3(utf8("holdout:global_2026/" + unit)) * 10000 >> 32 < 1000). Each user's
window starts at their first event before the as-of time and lasts 7 days; `purchase_conversion` is
any purchase in it. The comparison of everyone else against the holdout is Welch's t-test
(scipy.stats.ttest_ind, equal_var=False) with the Welch interval of statsmodels' CompareMeans, and the
sample-ratio check is Pearson's chi-square against the 10/90 split (scipy.stats.chisquare).

Run from the repository root:  /usr/bin/python3 test/stats/holdout-reference.py
"""

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from scipy import stats
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

SEED = 20261208
rng = np.random.default_rng(SEED)
OUT = Path("test/reference/holdout")
HOLDOUT, TRAFFIC_BP = "global_2026", 1000
START = datetime(2026, 11, 1)
AS_OF = datetime(2026, 11, 20)
WINDOW = timedelta(days=7)


def murmur3(data: bytes) -> int:
    c1, c2, m = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF
    h = 0
    n = len(data) // 4 * 4
    for i in range(0, n, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * c1) & m
        k = ((k << 15) | (k >> 17)) & m
        k = (k * c2) & m
        h ^= k
        h = ((h << 13) | (h >> 19)) & m
        h = (h * 5 + 0xE6546B64) & m
    k = int.from_bytes(data[n:], "little") if len(data) > n else 0
    if k:
        k = (k * c1) & m
        k = ((k << 15) | (k >> 17)) & m
        k = (k * c2) & m
        h ^= k
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & m
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & m
    h ^= h >> 16
    return h


def held(unit: str) -> bool:
    return (murmur3(f"holdout:{HOLDOUT}/{unit}".encode("utf-8")) * 10000) >> 32 < TRAFFIC_BP


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def main():
    assert murmur3(b"hello, world") == 345750399 and murmur3("Jöhn".encode()) == 3127707800
    events, first, converted = [], {}, {}
    for i in range(1, 3001):
        unit = f"user{i:05d}" if i % 7 else f"Jöhn-{i}"  # a few non-ASCII ids
        t0 = START + timedelta(seconds=int(rng.integers(0, 14 * 86400)))
        views = [t0] + [t0 + timedelta(seconds=int(rng.integers(0, 20 * 86400))) for _ in range(rng.poisson(3))]
        rate = 0.25 if held(unit) else 0.35
        buys = [t0 + timedelta(seconds=int(rng.integers(0, 10 * 86400)))] if rng.random() < rate else []
        for t in views:
            events.append([unit, "", "page_view", stamp(t), "", "", ""])
        for t in buys:
            events.append([unit, "", "purchase", stamp(t), "20.00", "", ""])
        seen = [t for t in views + buys if t < AS_OF]
        if not seen:
            continue
        f = min(seen)
        first[unit] = f
        converted[unit] = any(f <= t < f + WINDOW and t < AS_OF for t in buys)
    for i, e in enumerate(events):
        e[6] = f"e{i:06d}"
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "events.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit_id", "session_id", "event", "ts", "value", "properties", "event_id"])
        w.writerows(events)
    with open(OUT / "exposures.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["unit_id", "experiment", "variant", "ts", "session_id", "attributes"])
        w.writerow(["user00001", "probe", "control", stamp(START), "", ""])
    hold = np.array([float(converted[u]) for u in first if held(u)])
    rest = np.array([float(converted[u]) for u in first if not held(u)])
    welch = stats.ttest_ind(rest, hold, equal_var=False)
    lo, hi = CompareMeans(DescrStatsW(rest), DescrStatsW(hold)).tconfint_diff(alpha=0.05, usevar="unequal")
    n = np.array([len(hold), len(rest)])
    srm = stats.chisquare(n, f_exp=n.sum() * np.array([TRAFFIC_BP, 10000 - TRAFFIC_BP]) / 10000)
    out = {
        "source": "test/stats/holdout-reference.py (independent murmur3; scipy Welch t-test, statsmodels interval)",
        "holdout": HOLDOUT,
        "as_of": AS_OF.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "units": {"holdout": int(n[0]), "everyone_else": int(n[1])},
        "means": {"holdout": float(hold.mean()), "everyone_else": float(rest.mean())},
        "diff": float(rest.mean() - hold.mean()),
        "p_value": float(welch.pvalue),
        "ci": [float(lo), float(hi)],
        "srm_p_value": float(srm.pvalue),
    }
    Path("test/stats/holdout-reference.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
