import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { studentCdf, studentQuantile } from "../../src/stats/distributions.js";
import { compareMeans } from "../../src/stats/welch.js";
import { summarizeMean, summarizeRatio } from "../../src/stats/moments.js";
import { twoProportionZTest } from "../../src/stats/proportions.js";
import { srmCheck } from "../../src/stats/srm.js";
import { adjustPValues } from "../../src/stats/correction.js";
import { compareCuped, cupedVarianceReduction, pooledCovariateMean, pooledTheta } from "../../src/stats/cuped.js";
import { betaBinomialComparison } from "../../src/stats/bayesian.js";
import { minimumDetectableEffect, sampleSize } from "../../src/stats/power.js";
import type { CupedStats } from "../../src/stats/types.js";

// Values from test/stats/scipy-reference.py (SciPy 1.10, statsmodels 0.13.5).
const ref = JSON.parse(readFileSync("test/stats/scipy-reference.json", "utf8"));

function rel(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), 1e-300), `${what}: ${actual} vs ${expected}`);
}

describe("Student t against scipy.stats.t", () => {
  // scipy's t.ppf itself is only good to about 2e-11 in probability at small df (its own cdf of
  // its ppf is off by that much), so quantiles are held to 1e-8 and to a round trip within 1e-11.
  test("cdf to 1e-10 relative, ppf to 1e-8 and round trip to 1e-11", () => {
    for (const c of ref.student) {
      if ("cdf" in c) rel(studentCdf(c.x, c.df), c.cdf, 1e-10, `cdf(${c.x}, ${c.df})`);
      else {
        const q = studentQuantile(c.p, c.df);
        rel(q, c.ppf, 1e-8, `ppf(${c.p}, ${c.df})`);
        rel(studentCdf(q, c.df), c.p, 1e-11, `cdf(ppf(${c.p}, ${c.df}))`);
      }
    }
  });
});

describe("Welch's t-test against scipy ttest_ind(equal_var=False)", () => {
  for (const [i, c] of ref.welch.entries()) {
    test(`case ${i}`, () => {
      const r = compareMeans(summarizeMean({ kind: "mean", ...c.t }), summarizeMean({ kind: "mean", ...c.c }), 0.05);
      rel(r.pValue, c.p_value, 1e-9, "p");
      rel(r.pValue, c.p_scipy_raw, 1e-8, "p from raw rows");
      rel(r.df, c.df, 1e-9, "df");
      rel(r.diffCi[0], c.diff_ci[0], 1e-8, "ci lower");
      rel(r.diffCi[1], c.diff_ci[1], 1e-8, "ci upper");
    });
  }
});

describe("two-proportion z-test against statsmodels proportions_ztest", () => {
  test("z and p", () => {
    for (const c of ref.ztest) {
      const r = twoProportionZTest(c.st, c.nt, c.sc, c.nc);
      rel(r.z, c.z, 1e-12, "z");
      rel(r.pValue, c.p_value, 1e-10, "p");
    }
  });
});

describe("SRM against scipy chisquare", () => {
  test("chi2 and p", () => {
    for (const c of ref.chisquare) {
      const r = srmCheck(c.units, c.weights, 0.001);
      rel(r.chi2, c.chi2, 1e-12, "chi2");
      rel(r.pValue, c.p_value, 1e-9, "p");
      assert.equal(r.ok, c.p_value >= 0.001);
    }
  });
});

describe("multiple testing against statsmodels multipletests", () => {
  for (const method of ["bh", "holm", "bonferroni"] as const) {
    test(method, () => {
      for (const c of ref.multipletests) {
        const got = adjustPValues(c.p, method);
        c[method].forEach((e: number, i: number) => rel(got[i]!, e, 1e-12, `${method}[${i}] of ${c.p}`));
      }
    });
  }
  test("NaN p-values stay out of the family", () => {
    const got = adjustPValues([0.01, NaN, 0.04], "bonferroni");
    assert.deepEqual(
      got.map((x) => (Number.isNaN(x) ? "nan" : x)),
      [0.02, "nan", 0.08],
    );
  });
});

describe("ratio delta method against numpy on raw rows", () => {
  test("mean and per-unit variance", () => {
    for (const c of ref.ratio) {
      const r = summarizeRatio({
        kind: "ratio",
        n: c.n,
        sumNum: c.sumNum,
        sumDen: c.sumDen,
        sumNum2: c.sumNum2,
        sumDen2: c.sumDen2,
        sumNumDen: c.sumNumDen,
      });
      rel(r.mean, c.mean, 1e-12, "mean");
      rel(r.variance, c.variance, 1e-9, "variance");
    }
  });
});

describe("CUPED against numpy/scipy on raw rows", () => {
  test("pooled theta, variance reduction, adjusted diff and Welch p", () => {
    for (const c of ref.cuped) {
      const arms = c.arms.map((a: Omit<CupedStats, "kind">) => ({ kind: "cuped", ...a }) as CupedStats);
      const theta = pooledTheta(arms);
      rel(theta, c.theta, 1e-10, "theta");
      const vr = cupedVarianceReduction(arms, theta);
      rel(vr, c.variance_reduction, 1e-9, "variance reduction");
      const r = compareCuped(arms[1], arms[0], theta, pooledCovariateMean(arms), 0.05, vr);
      rel(r.adjusted.diff, c.diff, 1e-9, "diff");
      rel(r.adjusted.pValue, c.p_value, 1e-8, "p");
    }
  });
});

describe("Beta-binomial against scipy numerical integration", () => {
  test("P(beat control) and expected loss", () => {
    for (const c of ref.beta_binomial) {
      const r = betaBinomialComparison(c.st, c.nt, c.sc, c.nc, 0.05);
      rel(r.chanceToWin, c.chance_to_win, 1e-7, "chance to win");
      rel(r.expectedLoss, c.expected_loss, 1e-6, "expected loss");
    }
  });
});

describe("sample size and MDE against statsmodels NormalIndPower", () => {
  test("n per arm and MDE", () => {
    for (const c of ref.power_solve) {
      const s = sampleSize({ mde: c.mde, variance: c.sd * c.sd, alpha: c.alpha, power: c.power, shares: [1, 1] });
      assert.ok(Math.abs(s.total / 2 - c.n_per_arm) <= 0.5, `n per arm ${s.total / 2} vs ${c.n_per_arm}`);
      rel(
        minimumDetectableEffect({ variance: c.sd * c.sd, alpha: c.alpha, power: c.power, units: [1000, 1000] }),
        c.mde_at_1000,
        1e-9,
        "mde",
      );
    }
  });
});
