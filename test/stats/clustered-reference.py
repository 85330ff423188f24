"""Pins the clustered standard error of a per-session mean (session experiments, user-level metrics)
to statsmodels OLS with cov_type="cluster". Writes clustered-reference.json.

Each case simulates users with a random number of sessions, each session randomised on its own (so a
user's sessions fall in both arms), with a per-user effect that makes sessions of one user alike. The
sufficient statistics the SQL returns are computed here from the raw sessions, independently of the
TypeScript, and the expected SE is the one of the `arm` coefficient of y ~ 1 + arm over both arms'
sessions, clustered by user (statsmodels' default small-sample correction).

Run from the repository root:  python3 test/stats/clustered-reference.py   (statsmodels >= 0.13)
"""
import json
import os

import numpy as np
import statsmodels
import statsmodels.api as sm

rng = np.random.default_rng(20261206)
cases = []


def arm_stats(users, y, arm, a, control):
    """ClusteredStats of arm `a`: sums over its user clusters, cross sums with the same user's control cluster."""
    mask = arm == a
    s = {}
    n = {}
    for u, v in zip(users[mask], y[mask]):
        s[u] = s.get(u, 0.0) + v
        n[u] = n.get(u, 0) + 1
    cmask = arm == control
    cs = {}
    cn = {}
    for u, v in zip(users[cmask], y[cmask]):
        cs[u] = cs.get(u, 0.0) + v
        cn[u] = cn.get(u, 0) + 1
    keys = list(s)
    return dict(
        n=float(sum(n.values())),
        sum=float(sum(s.values())),
        clusters=float(len(keys)),
        sumS2=float(sum(s[k] ** 2 for k in keys)),
        sumN2=float(sum(n[k] ** 2 for k in keys)),
        sumSN=float(sum(s[k] * n[k] for k in keys)),
        shared=float(sum(1 for k in keys if k in cs)),
        crossSS=float(sum(s[k] * cs.get(k, 0.0) for k in keys)),
        crossSN=float(sum(s[k] * cn.get(k, 0) for k in keys)),
        crossNS=float(sum(n[k] * cs.get(k, 0.0) for k in keys)),
        crossNN=float(sum(n[k] * cn.get(k, 0) for k in keys)),
    )


for i in range(6):
    n_users = int(rng.integers(30, 400))
    per_user = rng.integers(1, 2 + 3 * i, n_users)
    users = np.repeat(np.arange(n_users), per_user)
    user_effect = rng.normal(0, 1 + i, n_users)[users]
    arm = rng.integers(0, 2, len(users))
    if i % 2 == 0:
        y = rng.normal(5 + 0.3 * arm + user_effect, 2)  # a continuous metric (revenue-like)
    else:
        y = (rng.random(len(users)) < 1 / (1 + np.exp(-(user_effect - 1 + 0.2 * arm)))).astype(float)  # a conversion
    fit = sm.OLS(y, sm.add_constant(arm.astype(float))).fit(cov_type="cluster", cov_kwds={"groups": users})
    cases.append(
        dict(
            treatment=arm_stats(users, y, arm, 1, 0),
            control=arm_stats(users, y, arm, 0, 0),
            diff=float(fit.params[1]),
            se=float(fit.bse[1]),
        )
    )

out = {"statsmodels": statsmodels.__version__, "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "clustered-reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(len(cases), "cases")
