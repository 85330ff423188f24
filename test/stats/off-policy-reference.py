"""Reference values for off-policy evaluation (src/stats/off-policy.ts), computed row by row with numpy.

A logged-decision table of 2,000 decisions: a contextual logging policy (softmax over three actions
with known propensities, some below the 5% floor), a target policy that favours the best action, Bernoulli
rewards, and a reward model's estimates at the logged action and under the target policy. Three rows
are invalid (a missing reward, a zero propensity, a target probability above 1) and must be left out.

Every estimator is evaluated from the per-decision terms (two-pass means and variances, no sums):
IPS mean(w r); SNIPS Σwr/Σw with the delta-method influence w(r − V)/w̄; DR mean(q̂π + w(r − q̂));
each difference from the logging policy as the mean of the per-decision differences; normal
intervals at α = 0.05 from scipy. Runs without clipping and with weights clipped at 5.

Run from the repository root:  /usr/bin/python3 test/stats/off-policy-reference.py
Writes test/reference/off-policy/decisions.csv and test/stats/off-policy-reference.json.
"""

import json
from pathlib import Path

import numpy as np
from scipy import stats

SEED = 20261207
ALPHA = 0.05
FLOOR = 0.05
rng = np.random.default_rng(SEED)

N = 2000
ACTIONS = 3
context = rng.integers(0, 50, N)
feature = (context % 10) / 10.0
logits = np.stack([np.zeros(N), 1.5 * feature - 0.5, 3.0 - 6.0 * feature], axis=1)
logging = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
action = np.array([rng.choice(ACTIONS, p=p) for p in logging])
base = np.stack([0.10 + 0.0 * feature, 0.15 + 0.10 * feature, 0.05 + 0.05 * feature], axis=1)
target = np.full((N, ACTIONS), 0.1)
target[np.arange(N), np.argmax(base, axis=1)] = 0.8
reward = (rng.random(N) < base[np.arange(N), action]).astype(float)
model = np.clip(base + rng.normal(0, 0.02, (N, ACTIONS)), 0, 1)
mu = logging[np.arange(N), action]
pi = target[np.arange(N), action]
q_logged = model[np.arange(N), action]
q_target = (target * model).sum(axis=1)

rows = [
    {
        "unit_id": f"u{i:05d}",
        "context_id": f"c{context[i]:02d}",
        "action": f"a{action[i]}",
        "logging_propensity": repr(float(mu[i])),
        "target_propensity": repr(float(pi[i])),
        "reward": repr(float(reward[i])),
        "reward_estimate": repr(float(q_logged[i])),
        "target_estimate": repr(float(q_target[i])),
    }
    for i in range(N)
]
invalid = [
    dict(rows[0], unit_id="bad1", reward=""),
    dict(rows[1], unit_id="bad2", logging_propensity="0.0"),
    dict(rows[2], unit_id="bad3", target_propensity="1.5"),
]
header = list(rows[0])
out = Path("test/reference/off-policy")
out.mkdir(parents=True, exist_ok=True)
with open(out / "decisions.csv", "w") as f:
    f.write(",".join(header) + "\n")
    for r in rows + invalid:
        f.write(",".join(r[h] for h in header) + "\n")

z = stats.norm.ppf(1 - ALPHA / 2)


def mean_se(x):
    return float(np.mean(x)), float(np.std(x, ddof=1) / np.sqrt(len(x)))


def interval(v, se):
    return [v - z * se, v + z * se]


def evaluate(cap):
    raw = pi / mu
    w = np.minimum(raw, cap) if cap is not None else raw
    r = reward
    log_v, log_se = mean_se(r)
    out = {"rows": N, "invalid_rows": 3, "logging": {"value": log_v, "se": log_se, "ci": interval(log_v, log_se)}}

    def entry(name, v, se, diff_terms):
        d, dse = mean_se(diff_terms)
        return {"estimator": name, "value": v, "se": se, "ci": interval(v, se), "diff": d, "diff_ci": interval(d, dse), "rel_lift": d / log_v}

    ips_v, ips_se = mean_se(w * r)
    snips_v = float(np.sum(w * r) / np.sum(w))
    infl = w * (r - snips_v) / np.mean(w)
    snips_se = float(np.sqrt(np.sum(infl**2) / (N - 1) / N))
    dr_terms = q_target + w * (r - q_logged)
    dr_v, dr_se = mean_se(dr_terms)
    out["estimates"] = [
        entry("ips", ips_v, ips_se, w * r - r),
        # The SNIPS difference's influence is its own minus the logging mean's; its mean is 0 by construction.
        dict(entry("snips", snips_v, snips_se, infl - (r - log_v)), diff=snips_v - log_v),
        entry("dr", dr_v, dr_se, dr_terms - r),
    ]
    snips = out["estimates"][1]
    dse = float(np.sqrt(np.sum((infl - (r - log_v)) ** 2) / (N - 1) / N))
    snips["diff_ci"] = interval(snips["diff"], dse)
    snips["rel_lift"] = snips["diff"] / log_v
    ess = float(np.sum(w) ** 2 / np.sum(w**2))
    out["weights"] = {
        "ess": ess,
        "ess_share": ess / N,
        "max_weight": float(np.max(raw)),
        "below_floor": int(np.sum(mu < FLOOR)),
    }
    out["clip"] = {"cap": cap, "clipped": int(np.sum(raw > cap)) if cap is not None else 0}
    # The true value of the target policy under the simulation, for the reader (not compared).
    out["true_target_value"] = float((target * base).sum(axis=1).mean())
    return out


result = {"alpha": ALPHA, "propensity_floor": FLOOR, "runs": {"unclipped": evaluate(None), "clip_5": evaluate(5.0)}}
Path("test/stats/off-policy-reference.json").write_text(json.dumps(result, indent=2) + "\n")
