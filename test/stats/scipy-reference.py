"""Pins the stats engine's building blocks to SciPy/statsmodels. Writes scipy-reference.json.

Run from the repository root:  /usr/bin/python3 test/stats/scipy-reference.py
"""
import json
import os

import numpy as np
from scipy import integrate, optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportions_ztest

rng = np.random.default_rng(20261201)
out = {"welch": [], "student": [], "ztest": [], "chisquare": [], "multipletests": [], "ratio": [], "cuped": [],
       "beta_binomial": [], "power_solve": []}

for df in [1.5, 3, 7.25, 30, 120.5, 2500, 1e6]:
    for x in [-4.2, -1.3, 0.4, 2.2]:
        out["student"].append(dict(x=x, df=df, cdf=float(stats.t.cdf(x, df))))
    for p in [0.9, 0.975, 0.995]:
        out["student"].append(dict(p=p, df=df, ppf=float(stats.t.ppf(p, df))))

for i in range(8):
    nt, nc = int(rng.integers(5, 400)), int(rng.integers(5, 400))
    yt = rng.normal(10 + i * 0.3, 1 + i, nt)
    yc = rng.normal(10, 2 + 0.5 * i, nc)
    mt, mc, vt, vc = yt.mean(), yc.mean(), yt.var(ddof=1), yc.var(ddof=1)
    r = stats.ttest_ind_from_stats(mt, np.sqrt(vt), nt, mc, np.sqrt(vc), nc, equal_var=False)
    se = np.sqrt(vt / nt + vc / nc)
    df = (vt / nt + vc / nc) ** 2 / ((vt / nt) ** 2 / (nt - 1) + (vc / nc) ** 2 / (nc - 1))
    q = stats.t.ppf(0.975, df)
    out["welch"].append(dict(t=dict(n=nt, sum=float(yt.sum()), sumSq=float((yt**2).sum())), c=dict(n=nc, sum=float(yc.sum()), sumSq=float((yc**2).sum())),
                             p_value=float(r.pvalue), df=float(df), diff_ci=[float(mt - mc - q * se), float(mt - mc + q * se)],
                             p_scipy_raw=float(stats.ttest_ind(yt, yc, equal_var=False).pvalue)))

for st, nt, sc, nc in [(120, 1000, 100, 1000), (5, 40, 9, 35), (3012, 20000, 2890, 19950)]:
    z, p = proportions_ztest([st, sc], [nt, nc])
    out["ztest"].append(dict(st=st, nt=nt, sc=sc, nc=nc, z=float(z), p_value=float(p)))

for obs, w in [([1010, 990], [1, 1]), ([1100, 900], [1, 1]), ([500, 260, 240], [2, 1, 1]), ([333, 290, 377], [1, 1, 1])]:
    obs_a, w_a = np.array(obs, float), np.array(w, float)
    r = stats.chisquare(obs_a, obs_a.sum() * w_a / w_a.sum())
    out["chisquare"].append(dict(units=obs, weights=w, chi2=float(r.statistic), p_value=float(r.pvalue)))

for pv in [[0.01, 0.04, 0.03, 0.2, 0.005], [0.5, 0.5, 0.01, 0.049, 0.051, 0.9], [0.001], [0.02, 0.02, 0.02]]:
    entry = dict(p=pv)
    for name, method in [("bh", "fdr_bh"), ("holm", "holm"), ("bonferroni", "bonferroni")]:
        entry[name] = [float(x) for x in multipletests(pv, method=method)[1]]
    out["multipletests"].append(entry)

for i in range(3):
    n = 300 + 100 * i
    den = rng.poisson(3 + i, n).astype(float)
    num = rng.binomial(den.astype(int), 0.1 + 0.05 * i).astype(float)
    mn, md = num.mean(), den.mean()
    c = np.cov(num, den, ddof=1)
    var = c[0, 0] / md**2 + c[1, 1] * mn**2 / md**4 - 2 * c[0, 1] * mn / md**3
    out["ratio"].append(dict(n=n, sumNum=float(num.sum()), sumDen=float(den.sum()), sumNum2=float((num**2).sum()), sumDen2=float((den**2).sum()),
                             sumNumDen=float((num * den).sum()), mean=float(num.sum() / den.sum()), variance=float(var)))

for i in range(2):
    arms = []
    xs, ys = [], []
    for j, n in enumerate([400, 420, 380][: 2 + i]):
        x = rng.gamma(2, 3, n)
        y = 0.8 * x + rng.normal(1 + 0.2 * j, 2, n)
        xs.append(x); ys.append(y)
        arms.append(dict(n=n, sumY=float(y.sum()), sumY2=float((y**2).sum()), sumX=float(x.sum()), sumX2=float((x**2).sum()), sumXY=float((x * y).sum())))
    X, Y = np.concatenate(xs), np.concatenate(ys)
    theta = np.cov(Y, X, ddof=1)[0, 1] / X.var(ddof=1)
    adj = [y - theta * (x - X.mean()) for x, y in zip(xs, ys)]
    r = stats.ttest_ind(adj[1], adj[0], equal_var=False)
    out["cuped"].append(dict(arms=arms, theta=float(theta), variance_reduction=float(1 - np.concatenate(adj).var(ddof=1) / Y.var(ddof=1)),
                             diff=float(adj[1].mean() - adj[0].mean()), p_value=float(r.pvalue)))

for st, nt, sc, nc in [(120, 1000, 100, 1000), (14, 30, 16, 28), (480, 5000, 520, 5000)]:
    at, bt, ac, bc = 1 + st, 1 + nt - st, 1 + sc, 1 + nc - sc
    lo, hi = stats.beta.ppf(1e-12, at, bt), stats.beta.ppf(1 - 1e-12, at, bt)
    win = integrate.quad(lambda x: stats.beta.pdf(x, at, bt) * stats.beta.cdf(x, ac, bc), lo, hi, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
    def loss_t(x):  # E[(p_c − x)+] weighted by the treatment density
        return stats.beta.pdf(x, at, bt) * integrate.quad(lambda y: stats.beta.sf(y, ac, bc), x, 1, epsabs=1e-14)[0]
    loss = integrate.quad(loss_t, lo, hi, epsabs=1e-13, epsrel=1e-10, limit=200)[0]
    out["beta_binomial"].append(dict(st=st, nt=nt, sc=sc, nc=nc, chance_to_win=float(win), expected_loss=float(loss)))

# n per arm for a two-sided z-test: solve_power on Cohen's d = mde / sd
for mde, sd, alpha, power in [(0.3, 10, 0.05, 0.8), (0.01, 0.3, 0.05, 0.9), (2.0, 25, 0.01, 0.8)]:
    n1 = NormalIndPower().solve_power(effect_size=mde / sd, alpha=alpha, power=power, ratio=1.0)
    # solve_power's own root finder stops near 1e-6 relative; solve tightly on its power function.
    mde_back = optimize.brentq(lambda d: NormalIndPower().power(d, 1000, alpha, ratio=1.0) - power, 1e-6, 10, xtol=1e-15, rtol=1e-15) * sd
    out["power_solve"].append(dict(mde=mde, sd=sd, alpha=alpha, power=power, n_per_arm=float(n1), mde_at_1000=float(mde_back)))

# Group-sequential boundaries, solved independently with SciPy's multivariate normal rectangle
# probabilities (Genz): P(no crossing before look k) − P(no crossing through look k) = spend_k.
def spent(t, alpha, kind):
    if kind == "pocock":
        return alpha * np.log(1 + (np.e - 1) * t)
    return 2 * (2 - 2 * stats.norm.cdf(stats.norm.ppf(1 - alpha / 4) / np.sqrt(t)))


def inside(bounds, times):
    k = len(bounds)
    if k == 0:
        return 1.0
    cov = np.array([[np.sqrt(min(a, b) / max(a, b)) for b in times[:k]] for a in times[:k]])
    if k == 1:
        return stats.norm.cdf(bounds[0]) - stats.norm.cdf(-bounds[0])
    return float(stats.multivariate_normal.cdf(np.array(bounds), mean=np.zeros(k), cov=cov, maxpts=1_000_000,
                                               abseps=1e-9, releps=1e-9, lower_limit=-np.array(bounds)))


out["group_sequential"] = []
for times, alpha, kind in [([0.2, 0.4, 0.6, 0.8, 1.0], 0.05, "obrien_fleming"), ([0.2, 0.4, 0.6, 0.8, 1.0], 0.05, "pocock"),
                           ([0.3, 0.7, 1.0], 0.01, "obrien_fleming"), ([0.5, 1.0], 0.1, "pocock")]:
    bounds = []
    for k, t in enumerate(times):
        target = spent(t, alpha, kind) - (spent(times[k - 1], alpha, kind) if k else 0)
        before = inside(bounds, times)
        c = optimize.brentq(lambda c: before - inside(bounds + [c], times) - target, 0.5, 10, xtol=1e-10)
        bounds.append(float(c))
    out["group_sequential"].append(dict(times=times, alpha=alpha, spending=kind, bounds=bounds))

# Thompson sampling: P(arm is best) by quadrature.
out["bandit"] = []
for arms in [[(1000, 100), (1000, 120)], [(500, 40), (520, 52), (480, 45)]]:
    post = [(1 + s_, 1 + n - s_) for n, s_ in arms]
    probs = []
    for i, (a, b) in enumerate(post):
        f = lambda x, a=a, b=b, i=i: stats.beta.pdf(x, a, b) * np.prod([stats.beta.cdf(x, c, d) for j, (c, d) in enumerate(post) if j != i])
        lo, hi = stats.beta.ppf(1e-13, a, b), stats.beta.ppf(1 - 1e-13, a, b)
        probs.append(integrate.quad(f, lo, hi, epsabs=1e-13, epsrel=1e-11, limit=400)[0])
    out["bandit"].append(dict(kind="beta", arms=[dict(n=n, sum=s_) for n, s_ in arms], probability_best=probs))
for arms in [[(400, 10.0, 3.0), (380, 10.4, 3.5), (420, 10.2, 2.5)]]:
    post = [(m, sd / np.sqrt(n)) for n, m, sd in arms]
    probs = []
    for i, (m, se) in enumerate(post):
        f = lambda x, m=m, se=se, i=i: stats.norm.pdf(x, m, se) * np.prod([stats.norm.cdf(x, c, d) for j, (c, d) in enumerate(post) if j != i])
        probs.append(integrate.quad(f, m - 12 * se, m + 12 * se, epsabs=1e-13, epsrel=1e-11, limit=400)[0])
    out["bandit"].append(dict(kind="normal", arms=[dict(n=n, sum=n * m, sumSq=(n - 1) * sd**2 + n * m**2) for n, m, sd in arms], probability_best=probs))

# Interleaving: exact two-sided binomial test.
out["binomtest"] = [dict(wins_a=a, wins_b=b, p_value=float(stats.binomtest(a, a + b, 0.5).pvalue)) for a, b in [(60, 40), (520, 480), (7, 1), (50, 50), (3, 12)]]

# Heterogeneity: statsmodels combine_effects (fixed-effect Q test).
from statsmodels.stats.meta_analysis import combine_effects  # noqa: E402
out["heterogeneity"] = []
for eff, se in [([0.1, 0.3, 0.05], [0.1, 0.14, 0.12]), ([0.02, 0.021, 0.05, -0.01], [0.005, 0.006, 0.01, 0.008])]:
    r = combine_effects(np.array(eff), np.array(se) ** 2)
    out["heterogeneity"].append(dict(effects=eff, se=se, q=float(r.q), p_value=float(r.test_homogeneity().pvalue), pooled=float(r.mean_effect_fe), i2=float(r.i2)))

# Off-policy estimators with numpy on a small random log.
n = 500
mu = rng.uniform(0.1, 0.9, n)
pi = rng.uniform(0, 1, n)
r_ = rng.binomial(1, 0.3, n).astype(float)
q_log, q_tgt = rng.uniform(0.2, 0.4, n), rng.uniform(0.2, 0.4, n)
w = pi / mu
ips_terms = r_ * w
dr_terms = q_tgt + w * (r_ - q_log)
snips_v = (w * r_).sum() / w.sum()
out["off_policy"] = dict(logs=[dict(reward=float(a), propensity=float(b), targetProbability=float(c), predictedLogged=float(d), predictedTarget=float(e))
                               for a, b, c, d, e in zip(r_, mu, pi, q_log, q_tgt)],
                         ips=[float(ips_terms.mean()), float(ips_terms.std(ddof=1) / np.sqrt(n))],
                         snips=[float(snips_v), float(np.sqrt(((w * (r_ - snips_v) / w.mean()) ** 2).sum() / (n - 1) / n))],
                         dr=[float(dr_terms.mean()), float(dr_terms.std(ddof=1) / np.sqrt(n))])

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "scipy-reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print({k: len(v) for k, v in out.items()})
