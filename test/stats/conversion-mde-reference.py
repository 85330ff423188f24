"""Reference values for the smallest relative rise of a conversion rate a design detects (the inverse of
the conversion sample size), with each arm's variance under the alternative as the analysis' Welch test
sees it: se = sqrt(p1(1-p1)/n_c + p2(1-p2)/n_t), p2 = p1(1 + r), and the exact two-sided power
Φ(d/se − z) + Φ(−d/se − z) with z = Φ⁻¹(1 − α/2), solved for r with brentq (xtol 1e-15).

Regenerate from the repository root:  /usr/bin/python3 test/stats/conversion-mde-reference.py
Writes test/stats/conversion-mde-reference.json (deterministic).
"""
import json
import os
import platform

import numpy as np
import scipy
from scipy import optimize, stats


def mde(p1, n_c, n_t, alpha, power):
    z = stats.norm.ppf(1 - alpha / 2)

    def reached(r):
        p2 = p1 * (1 + r)
        se = np.sqrt(p1 * (1 - p1) / n_c + p2 * (1 - p2) / n_t)
        d = p2 - p1
        return stats.norm.cdf(d / se - z) + stats.norm.cdf(-d / se - z) - power

    return optimize.brentq(reached, 1e-9, (1 - 1e-9) / p1 - 1, xtol=1e-15, rtol=4 * np.finfo(float).eps)


cases = [
    # exp power --baseline 0.1 --mde 0.1 --units 20000: two arms of 10,000 at α 0.05, power 0.8.
    {"name": "p10_n10000", "baseline": 0.1, "n_control": 10000, "n_treatment": 10000, "alpha": 0.05, "power": 0.8},
    # Three arms of 10,000, α 0.01 split over two comparisons (0.005 each), power 0.9, baseline 0.2.
    {"name": "p20_n10000_a005", "baseline": 0.2, "n_control": 10000, "n_treatment": 10000, "alpha": 0.005, "power": 0.9},
    # A rare conversion with unequal arms.
    {"name": "p01_unequal", "baseline": 0.01, "n_control": 300000, "n_treatment": 100000, "alpha": 0.05, "power": 0.9},
]
for c in cases:
    c["mde"] = mde(c["baseline"], c["n_control"], c["n_treatment"], c["alpha"], c["power"])

out = {
    "_generated_by": "/usr/bin/python3 test/stats/conversion-mde-reference.py",
    "_versions": {"python": platform.python_version(), "scipy": scipy.__version__, "numpy": np.__version__},
    "cases": cases,
}
with open(os.path.join(os.path.dirname(__file__), "conversion-mde-reference.json"), "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
