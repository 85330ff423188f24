"""Reference for interleaving analysis (docs/analysis.md#interleaving), computed apart from exp's code.

Writes test/reference/interleaving/{exposures,events}.csv — a session experiment "recs_ab_rankers"
whose sessions were shown interleaved lists (one exposure per list, metadata.interleaving with items and
teams) and clicked some items (event "recommendation_click", property item_id) — and
test/stats/interleaving-reference.json: the per-session credit computed here in plain Python, the
wins/ties counts, scipy.stats.binomtest's two-sided p-value and its exact (Clopper–Pearson) interval
of the share of preferring sessions that prefer ranker A, plus standalone binomtest cases.

The data hold the traps of the credit rule: clicks on items never shown, a click before any list,
an item shown in two lists of a session under different teams (the latest list before the click
decides), clicks after the as-of time, another experiment's exposures, sessions without clicks, ties.
Run: python3 test/stats/interleaving-reference.py (numpy and SciPy).
"""

import csv
import json
import pathlib
from datetime import datetime, timedelta

import numpy as np
import scipy
from scipy.stats import binomtest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "test" / "reference" / "interleaving"
EXPERIMENT = "recs_ab_rankers"
RANKERS = ("collab_filter", "two_tower")
CLICK = "recommendation_click"
AS_OF = datetime(2026, 11, 20)
T0 = datetime(2026, 11, 2)
rng = np.random.default_rng(20261207)


def ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


exposures = []  # (unit_id, experiment, variant, ts, session_id, attributes)
events = []  # (unit_id, session_id, event, ts, value, properties, event_id)
shown = {}  # session -> [(time, {item: team})]
clicks = []  # (session, time, item)

for s in range(1200):
    session = f"s{s:05d}"
    user = f"u{s // 2:05d}"
    start = T0 + timedelta(minutes=int(rng.integers(0, 60 * 24 * 16)))
    lists = int(rng.integers(1, 4))
    for k in range(lists):
        at = start + timedelta(minutes=10 * k)
        # Team draft over disjoint catalogue slices; item 0 of each ranker is shared by all lists of a
        # session, so a session's lists can credit it to either team.
        pool_a = [f"a{int(x)}" for x in rng.choice(40, 4, replace=False)]
        pool_b = [f"b{int(x)}" for x in rng.choice(40, 4, replace=False)]
        items, teams = [], []
        first_a = bool(rng.integers(0, 2))
        for r in range(4):
            order = [(pool_a[r], RANKERS[0]), (pool_b[r], RANKERS[1])]
            if not first_a:
                order.reverse()
            for it, tm in order:
                items.append(it)
                teams.append(tm)
            first_a = bool(rng.integers(0, 2))
        shared_team = RANKERS[int(rng.integers(0, 2))]
        items.append("shared")
        teams.append(shared_team)
        meta = {"interleaving": {"request": f"q{k}", "method": "team_draft", "items": items, "teams": teams}}
        exposures.append((user, EXPERIMENT, "interleaved", ts(at), session, json.dumps(meta, separators=(",", ":"))))
        shown.setdefault(session, []).append((at, dict(zip(items, teams))))
        # The planted preference: a ranker B item is clicked with probability 0.14, an A item 0.10.
        for it, tm in zip(items, teams):
            p = 0.14 if tm == RANKERS[1] else 0.10
            if rng.random() < p:
                clicks.append((session, user, at + timedelta(seconds=int(rng.integers(1, 500))), it))
    if rng.random() < 0.05:
        clicks.append((session, user, start - timedelta(minutes=1), "shared"))  # before any list: no credit
    if rng.random() < 0.05:
        clicks.append((session, user, start + timedelta(seconds=30), "never_shown"))
    if rng.random() < 0.02:
        exposures.append((user, "other_experiment", "control", ts(start), session, ""))

# Two clicks after the as-of time: not counted.
clicks.append(("s00001", "u00000", AS_OF + timedelta(hours=1), "shared"))
clicks.append(("s00003", "u00001", AS_OF + timedelta(hours=2), "shared"))

for i, (session, user, at, item) in enumerate(clicks):
    events.append((user, session, CLICK, ts(at), "", json.dumps({"item_id": item, "position": 1}, separators=(",", ":")), f"c{i:06d}"))
# Other events of the sessions are ignored.
for s in range(0, 1200, 7):
    events.append((f"u{s // 2:05d}", f"s{s:05d}", "page_view", ts(T0 + timedelta(days=3)), "", "", f"p{s:05d}"))

# Credit, session by session, in plain Python: the team of the clicked item in the latest list shown
# at or before the click; clicks at or after AS_OF are outside the analysis.
wins_a = wins_b = ties = none = clicks_a = clicks_b = 0
for session, lists in shown.items():
    a = b = 0
    for s_, _, at, item in clicks:
        if s_ != session or at >= AS_OF:
            continue
        before = [(t, m) for t, m in lists if t <= at and item in m]
        if not before:
            continue
        team = max(before, key=lambda x: x[0])[1][item]
        a += team == RANKERS[0]
        b += team == RANKERS[1]
    clicks_a += a
    clicks_b += b
    if a > b:
        wins_a += 1
    elif b > a:
        wins_b += 1
    elif a > 0:
        ties += 1
    else:
        none += 1

alpha = 0.05
test = binomtest(wins_a, wins_a + wins_b, 0.5, alternative="two-sided")
ci = test.proportion_ci(confidence_level=1 - alpha, method="exact")
judged = wins_a + wins_b + ties
result = {
    "wins_a": wins_a,
    "wins_b": wins_b,
    "ties": ties,
    "no_clicks": none,
    "clicks_a": clicks_a,
    "clicks_b": clicks_b,
    "share_a": wins_a / (wins_a + wins_b),
    "share_a_ci": [ci.low, ci.high],
    "preference": (wins_a - wins_b) / (wins_a + wins_b),
    "delta_with_ties": (wins_a + ties / 2) / judged - 0.5,
    "p_value": test.pvalue,
}

cases = []
for k, n, a in [(0, 1, 0.05), (1, 1, 0.05), (3, 10, 0.05), (17, 30, 0.1), (480, 1000, 0.05), (12, 100, 0.01), (55, 55, 0.05), (250, 600, 0.2)]:
    t = binomtest(k, n)
    c = t.proportion_ci(confidence_level=1 - a, method="exact")
    cases.append({"wins_a": k, "wins_b": n - k, "alpha": a, "p_value": t.pvalue, "share_ci": [c.low, c.high]})

with open(DATA / "exposures.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["unit_id", "experiment", "variant", "ts", "session_id", "attributes"])
    w.writerows(exposures)
with open(DATA / "events.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["unit_id", "session_id", "event", "ts", "value", "properties", "event_id"])
    w.writerows(events)
out = {
    "generated_by": f"test/stats/interleaving-reference.py (numpy {np.__version__}, SciPy {scipy.__version__})",
    "experiment": EXPERIMENT,
    "rankers": list(RANKERS),
    "as_of": ts(AS_OF) + "Z",
    "alpha": alpha,
    "result": result,
    "binomtest": cases,
}
(ROOT / "test" / "stats" / "interleaving-reference.json").write_text(json.dumps(out, indent=2) + "\n")
print(json.dumps(result, indent=2))
