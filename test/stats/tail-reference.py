"""Reference values for the engine's tail probabilities, Beta quantiles and Beta-binomial posteriors.

Regenerate from the repository root:  /usr/bin/python3 test/stats/tail-reference.py
Writes test/stats/tail-reference.json (deterministic: no random numbers).

- chi2.sf over χ² in [1e-3, 1e4] and df 1…100 (SciPy: Cephes igamc), including where it underflows to 0.
- beta.ppf over tails and shapes (SciPy: Boost ibeta_inv).
- Beta-binomial with Beta(1, 1) priors, by closed forms for integer parameters in 50-digit decimals
  (float64 log-beta functions lose ~1e-9 at ten million units): P(p_t > p_c) by Evan Miller's sum; the expected losses E[(Y − X)+] = μ_Y·P(Beta(a_Y + 1, b_Y) > X) −
  μ_X·P(Y > Beta(a_X + 1, b_X)) with the same sum. The equal-tailed credible interval of p_t − p_c by
  brentq on quad of P(p_t − p_c ≤ d) = ∫ f_c(y) F_t(y + d) dy, between quantiles of the control posterior.
- α spent by the O'Brien–Fleming-type function far in its tail, 4·Φ(z_{α/4}/√t), in logs, and the
  boundary of a first look there; boundaries of looks close together by Genz integration.
"""
import json
import os
import platform
from decimal import Decimal, getcontext
from fractions import Fraction

import numpy as np
import scipy
from scipy import integrate, optimize, special, stats

out = {
    "_generated_by": "/usr/bin/python3 test/stats/tail-reference.py",
    "_versions": {"python": platform.python_version(), "scipy": scipy.__version__, "numpy": np.__version__},
}

# χ² upper tail.
chi = []
for df in [1, 2, 3, 5, 10, 30, 50, 100]:
    for x in [1e-3, 0.5, 1, 3, 10, 40, 60, 100, 200, 500, 1000, 1400, 1500, 2000, 5000, 1e4]:
        chi.append(dict(x=x, df=df, sf=float(stats.chi2.sf(x, df))))
out["chi2_sf"] = chi

# Normal upper tail.
out["normal_sf"] = [dict(x=x, sf=float(stats.norm.sf(x)), logsf=float(stats.norm.logsf(x))) for x in [0.5, 3, 8, 20, 37.5, 40, 100]]

# Beta quantiles.
ppf = []
for a, b in [(1, 11), (11, 1), (3, 5), (0.5, 0.5), (2.5, 0.7), (121, 881), (1.5, 1e4), (5001, 995001), (100001, 9900001), (1, 1e7 + 1)]:
    for p in [1e-30, 1e-12, 1e-6, 0.025, 0.3, 0.5, 0.975, 1 - 1e-9]:
        x = float(stats.beta.ppf(p, a, b))
        # Boost's root finder gives up in a few far tails (it warns); keep only quantiles whose own CDF returns p.
        if abs(stats.beta.cdf(x, a, b) / p - 1) < 1e-9 or abs(stats.beta.sf(x, a, b) / (1 - p) - 1) < 1e-9:
            ppf.append(dict(p=p, a=a, b=b, x=x))
out["beta_ppf"] = ppf


getcontext().prec = 50
PI = Decimal("3.14159265358979323846264338327950288419716939937511")
BERNOULLI = [Fraction(1, 6), Fraction(-1, 30), Fraction(1, 42), Fraction(-1, 30), Fraction(5, 66), Fraction(-691, 2730), Fraction(7, 6),
             Fraction(-3617, 510), Fraction(43867, 798), Fraction(-174611, 330)]


def ln_gamma(z):
    """log Γ(z) to about 30 digits: Stirling's series after shifting z above 30."""
    z = Decimal(z)
    shift = Decimal(0)
    while z < 30:
        shift += z.ln()
        z += 1
    s = (z - Decimal("0.5")) * z.ln() - z + (2 * PI).ln() / 2
    for k, b in enumerate(BERNOULLI, start=1):
        s += Decimal(b.numerator) / Decimal(b.denominator) / (2 * k * (2 * k - 1) * z ** (2 * k - 1))
    return s - shift


def p_greater(a1, b1, a2, b2):
    """P(X1 > X2), X1 ~ Beta(a1, b1) with integer a1, X2 ~ Beta(a2, b2): Evan Miller's sum
    Σ_{i<a1} B(a2 + i, b1 + b2) / ((b1 + i)·B(1 + i, b1)·B(a2, b2)), its terms by their ratio
    (a2 + i)(b1 + i) / ((a2 + b1 + b2 + i)(1 + i)), in 50-digit decimals."""
    term = (ln_gamma(b1 + b2) + ln_gamma(a2 + b2) - ln_gamma(a2 + b1 + b2) - ln_gamma(b2)).exp()
    total = Decimal(0)
    a2, b1, b2 = Decimal(a2), Decimal(b1), Decimal(b2)
    for i in range(int(a1)):
        total += term
        term = term * (a2 + i) * (b1 + i) / ((a2 + b1 + b2 + i) * (1 + i))
    return total


def expected_shortfall(ax, bx, ay, by):
    """E[(Y − X)+] = μ_Y·P(Beta(a_Y + 1, b_Y) > X) − μ_X·P(Y > Beta(a_X + 1, b_X))."""
    mu_x, mu_y = Decimal(ax) / Decimal(ax + bx), Decimal(ay) / Decimal(ay + by)
    return float(mu_y * p_greater(ay + 1, by, ax, bx) - mu_x * p_greater(ay, by, ax + 1, bx))


bb = []
for st, nt, sc, nc in [(0, 10, 0, 10), (120, 1000, 100, 1000), (14, 30, 16, 28), (480, 5000, 520, 5000), (10, 10, 0, 10), (3, 100, 5, 100),
                       (5000, 1000000, 4000, 1000000), (100000, 10000000, 100300, 10000000), (0, 50000, 2, 50000)]:
    at, bt, ac, bc = 1 + st, 1 + nt - st, 1 + sc, 1 + nc - sc
    win, lose = p_greater(at, bt, ac, bc), p_greater(ac, bc, at, bt)

    # Pieces between quantiles of the control posterior, so quad sees all of its mass.
    cuts = stats.beta.ppf(np.concatenate(([1e-16], np.linspace(0.001, 0.999, 41), [1 - 1e-16])), ac, bc)

    def diff_cdf(d):
        f = lambda y: stats.beta.pdf(y, ac, bc) * stats.beta.cdf(min(y + d, 1.0), at, bt) if y + d > 0 else 0.0
        return sum(integrate.quad(f, a, b, epsabs=1e-15, epsrel=1e-13, limit=200)[0] for a, b in zip(cuts[:-1], cuts[1:]))

    mean = at / (at + bt) - ac / (ac + bc)
    sd = np.sqrt(at * bt / ((at + bt) ** 2 * (at + bt + 1)) + ac * bc / ((ac + bc) ** 2 * (ac + bc + 1)))
    ci = [float(optimize.brentq(lambda d: diff_cdf(d) - q, max(-1 + 1e-9, mean - 8 * sd), min(1 - 1e-9, mean + 8 * sd), xtol=1e-15, rtol=1e-13))
          for q in (0.025, 0.975)]
    bb.append(dict(st=st, nt=nt, sc=sc, nc=nc, chance_to_win=float(win / (win + lose)), chance_to_lose=float(lose / (win + lose)),
                   expected_loss=expected_shortfall(at, bt, ac, bc), expected_loss_control=expected_shortfall(ac, bc, at, bt), diff_ci=ci,
                   rate_ci_treatment=[float(stats.beta.ppf(q, at, bt)) for q in (0.025, 0.975)],
                   rate_ci_control=[float(stats.beta.ppf(q, ac, bc)) for q in (0.025, 0.975)]))
out["beta_binomial"] = bb

# O'Brien–Fleming-type spending in its far tail: log(4·Φ(z_{α/4}/√t)).
out["alpha_spent"] = []
for a in (0.05, 0.01):
    for t in (1, 0.5, 0.1, 0.05, 0.02, 0.01, 0.001):
        log_spent = float(np.log(4) + stats.norm.logcdf(stats.norm.ppf(a / 4) / np.sqrt(t)))
        # A first look at t spends it all on ±c: 2Φ(−c) = spent, solved on the log scale.
        c = optimize.brentq(lambda c: stats.norm.logcdf(-c) - (log_spent - np.log(2)), 0, 200, xtol=1e-14, rtol=1e-15)
        out["alpha_spent"].append(dict(t=t, alpha=a, log_spent=log_spent, first_bound=float(c)))

# Group-sequential boundaries for looks close together (t = 0.5, 0.51, 1; O'Brien–Fleming-type,
# α = 0.05), by SciPy's multivariate normal rectangle probabilities (Genz) at tight tolerances:
# rpact's grid is off by ~7e-6 at the second look here.
def _spent(t, alpha=0.05):
    return float(np.exp(np.log(4) + stats.norm.logcdf(stats.norm.ppf(alpha / 4) / np.sqrt(t))))


def _inside(bounds, times):
    k = len(bounds)
    if k == 1:
        return stats.norm.cdf(bounds[0]) - stats.norm.cdf(-bounds[0])
    cov = np.array([[np.sqrt(min(a, b) / max(a, b)) for b in times[:k]] for a in times[:k]])
    return float(stats.multivariate_normal.cdf(np.array(bounds), mean=np.zeros(k), cov=cov, maxpts=10_000_000, abseps=1e-12, releps=1e-12,
                                               lower_limit=-np.array(bounds)))


close = [0.5, 0.51, 1.0]
close_bounds = []
for k, t in enumerate(close):
    target = _spent(t) - (_spent(close[k - 1]) if k else 0)
    before = _inside(close_bounds, close) if close_bounds else 1.0
    close_bounds.append(float(optimize.brentq(lambda c: before - _inside(close_bounds + [c], close) - target, 0.5, 10, xtol=1e-12)))
out["close_looks"] = dict(times=close, alpha=0.05, spending="obrien_fleming", bounds=close_bounds)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tail-reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print({k: len(v) for k, v in out.items()})
