import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { betaCdf, betaQuantile, betaSf, chiSquareSf, normalLogCdf, normalSf } from "../../src/stats/distributions.js";
import { chiSquarePower } from "../../src/stats/power.js";
import { srmCheck } from "../../src/stats/srm.js";
import { heterogeneityTest } from "../../src/stats/heterogeneity.js";

// Values from test/stats/tail-reference.py (its header names the command, SciPy and NumPy versions).
const ref = JSON.parse(readFileSync("test/stats/tail-reference.json", "utf8"));

function rel(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

describe("χ² upper tail against scipy.stats.chi2.sf", () => {
  test("to 1e-12 relative over χ² up to 1e4 and df 1…100, and 0 (never NaN) where SciPy underflows", () => {
    for (const c of ref.chi2_sf) {
      const got = chiSquareSf(c.x, c.df);
      if (c.sf === 0) assert.ok(got >= 0 && got < 1e-300, `sf(${c.x}, ${c.df}) = ${got} where SciPy underflows`);
      else rel(got, c.sf, 1e-12, `sf(${c.x}, ${c.df})`);
    }
  });

  test("χ² = 100 on one degree of freedom is 1.5e-23, not 0 (1 − cdf gave 0)", () => {
    rel(chiSquareSf(100, 1), 1.5239706048320995e-23, 1e-12, "sf(100, 1)");
  });

  test("SRM and heterogeneity p-values keep their digits far in the tail", () => {
    // 10 400 vs 9 600 units on a 50/50 design: χ² = 32, p ≈ 1.5e-8; 12 000 vs 8 000: χ² = 800.
    rel(srmCheck([10400, 9600], [1, 1], 0.001).pValue, chiSquareSf(32, 1), 1e-15, "srm χ² = 32");
    const far = srmCheck([12000, 8000], [1, 1], 0.001);
    assert.equal(far.chi2, 800);
    assert.ok(far.pValue > 0 && far.pValue < 1e-170, `${far.pValue}`);
    const h = heterogeneityTest([
      { segment: "a", effect: 0, se: 0.01 },
      { segment: "b", effect: 0.1, se: 0.01 },
    ]);
    assert.ok(h.pValue > 0 && Math.abs(h.pValue / chiSquareSf(50, 1) - 1) < 1e-12, `${h.pValue}`);
  });

  test("χ² power is the noncentral upper tail itself: tiny powers keep their digits", () => {
    const p = chiSquarePower(1e-4, 10, 3, 1e-9);
    assert.ok(p > 0 && p < 2e-9, `${p}`);
  });
});

describe("normal tail", () => {
  test("sf to 1e-13 and log cdf to 1e-14 relative, including past 37 standard deviations", () => {
    for (const c of ref.normal_sf) {
      if (c.sf > 0) rel(normalSf(c.x), c.sf, 1e-13, `sf(${c.x})`);
      rel(normalLogCdf(-c.x), c.logsf, 1e-14, `log Φ(${-c.x})`);
    }
  });
});

describe("Beta quantiles (inverse regularized incomplete beta) against scipy.stats.beta.ppf", () => {
  test("to 1e-10 relative, tails and shapes from Beta(0.5, 0.5) to ten million units", () => {
    for (const c of ref.beta_ppf) rel(betaQuantile(c.p, c.a, c.b), c.x, 1e-10, `ppf(${c.p}, ${c.a}, ${c.b})`);
  });

  test("round trip to 1e-12 where the quantile is far below anything SciPy solves", () => {
    for (const [p, a, b] of [
      [1e-300, 3, 5],
      [1e-250, 2.5, 0.7],
      [1e-200, 121, 881],
    ] as const) {
      const x = betaQuantile(p, a, b);
      rel(betaCdf(x, a, b), p, 1e-12, `cdf(ppf(${p}, ${a}, ${b}))`);
    }
    const x = betaQuantile(1 - 1e-13, 5001, 995001);
    rel(betaSf(x, 5001, 995001), 1e-13, 1e-3, "upper tail round trip");
  });

  test("edges: 0 and 1 map to the support's ends, invalid input to NaN", () => {
    assert.equal(betaQuantile(0, 2, 3), 0);
    assert.equal(betaQuantile(1, 2, 3), 1);
    assert.ok(Number.isNaN(betaQuantile(0.5, 0, 3)));
    assert.ok(Number.isNaN(betaQuantile(1.5, 2, 3)));
  });
});
