"""Monte Carlo reference for the bandit's P(best): 1e7 joint draws from the arms' posteriors per case.

Regenerate from the repository root:  /usr/bin/python3 test/stats/bandit-monte-carlo.py
Writes test/stats/bandit-monte-carlo.json. Seed 20261206 (numpy PCG64), draws in chunks of 1e6.

Conversions: Beta(1 + s, 1 + n − s) posteriors. Means: N(ȳ, s²/n) with s² the sample variance (n − 1).
Each probability comes with its Monte Carlo standard error √(p(1 − p)/N); the tests allow five of
them (and at least 5/N where no draw made the arm best).
"""
import json
import os
import platform

import numpy as np

SEED = 20261206
DRAWS = 10_000_000
CHUNK = 1_000_000
rng = np.random.default_rng(SEED)


def rates(n, ps):
    return [dict(n=n, sum=int(round(n * p))) for p in ps]


beta_cases = [
    ("100 per arm, two close arms", rates(100, [0.10, 0.14])),
    ("100 per arm, three arms", rates(100, [0.05, 0.10, 0.20])),
    ("1e4 per arm, four close arms", rates(10_000, [0.100, 0.103, 0.101, 0.099])),
    ("1e6 per arm, three close arms", rates(1_000_000, [0.0100, 0.01005, 0.0101])),
    ("1e6 per arm, five arms, one far", rates(1_000_000, [0.0500, 0.0502, 0.0501, 0.0490, 0.0600])),
    ("1e7 per arm, two close arms", rates(10_000_000, [0.1, 0.10003])),
    ("1e7 per arm, three close arms", rates(10_000_000, [0.02, 0.02002, 0.01999])),
    ("1e7 per arm, five close arms", rates(10_000_000, [0.3, 0.30005, 0.29995, 0.3001, 0.3])),
    ("mixed sizes", [dict(n=100, sum=3), dict(n=1_000_000, sum=30_500), dict(n=10_000, sum=300)]),
    ("far arms", rates(100_000, [0.1, 0.2])),
    ("no conversions anywhere", [dict(n=0, sum=0), dict(n=10, sum=0), dict(n=1000, sum=0)]),
]

# (n, mean, sd) per arm.
normal_cases = [
    ("100 per arm, three arms", [(100, 10.0, 3.0), (100, 10.4, 3.5), (100, 10.2, 2.5)]),
    ("1e6 per arm, three close arms", [(1_000_000, 25.0, 40.0), (1_000_000, 25.05, 41.0), (1_000_000, 25.02, 39.0)]),
    ("1e7 per arm, four arms", [(10_000_000, 1.0, 2.0), (10_000_000, 1.0008, 2.0), (10_000_000, 1.0012, 2.1), (10_000_000, 0.999, 1.9)]),
    ("mixed sizes, five arms", [(200, 5.0, 1.0), (50_000, 5.01, 1.2), (1_000_000, 5.002, 0.9), (5_000, 4.98, 1.1), (100, 5.1, 2.0)]),
]


def best_frequencies(draw, k):
    counts = np.zeros(k)
    for _ in range(DRAWS // CHUNK):
        counts += np.bincount(np.argmax(draw(CHUNK), axis=1), minlength=k)
    p = counts / DRAWS
    return p.tolist(), np.sqrt(p * (1 - p) / DRAWS).tolist()


out = {
    "_generated_by": "/usr/bin/python3 test/stats/bandit-monte-carlo.py",
    "_versions": {"python": platform.python_version(), "numpy": np.__version__},
    "_seed": SEED,
    "draws": DRAWS,
    "beta": [],
    "normal": [],
}
for name, arms in beta_cases:
    post = [(1 + a["sum"], 1 + a["n"] - a["sum"]) for a in arms]
    p, se = best_frequencies(lambda m: np.column_stack([rng.beta(a, b, m) for a, b in post]), len(arms))
    out["beta"].append(dict(name=name, arms=arms, probability_best=p, standard_error=se))
for name, arms in normal_cases:
    p, se = best_frequencies(lambda m: np.column_stack([rng.normal(mu, sd / np.sqrt(n), m) for n, mu, sd in arms]), len(arms))
    stats_ = [dict(n=n, sum=n * mu, sumSq=(n - 1) * sd**2 + n * mu**2) for n, mu, sd in arms]
    out["normal"].append(dict(name=name, arms=stats_, probability_best=p, standard_error=se))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bandit-monte-carlo.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(len(out["beta"]), len(out["normal"]))
