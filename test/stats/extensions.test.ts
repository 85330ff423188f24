import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { banditWeights, probabilityBestBeta, probabilityBestNormal } from "../../src/stats/bandit.js";
import { interleavingTest } from "../../src/stats/interleaving.js";
import { heterogeneityTest } from "../../src/stats/heterogeneity.js";
import { doublyRobust, ips, snips } from "../../src/stats/off-policy.js";

// Values from test/stats/scipy-reference.py (scipy quad, binomtest; statsmodels combine_effects; numpy).
const ref = JSON.parse(readFileSync("test/stats/scipy-reference.json", "utf8"));

function rel(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), 1e-300), `${what}: ${actual} vs ${expected}`);
}

describe("Thompson-sampling weights (probability of being best)", () => {
  for (const [i, c] of ref.bandit.entries()) {
    test(`${c.kind} case ${i}`, () => {
      const got = c.kind === "beta" ? probabilityBestBeta(c.arms) : probabilityBestNormal(c.arms);
      c.probability_best.forEach((p: number, j: number) => rel(got[j]!, p, 1e-7, `arm ${j}`));
    });
  }
  test("the exploration floor holds and weights sum to 1", () => {
    const w = banditWeights([0.97, 0.02, 0.01], 0.05);
    assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-15);
    assert.ok(w.every((x) => x >= 0.05));
    assert.ok(w[0]! > w[1]! && w[1]! > w[2]!);
  });
});

describe("interleaving binomial test against scipy binomtest", () => {
  test("p-values", () => {
    for (const c of ref.binomtest) {
      const r = interleavingTest(c.wins_a, c.wins_b);
      rel(r.pValue, c.p_value, 1e-9, `${c.wins_a}/${c.wins_b}`);
      assert.equal(r.preference, (c.wins_a - c.wins_b) / (c.wins_a + c.wins_b));
    }
  });
});

describe("heterogeneity (Cochran's Q) against statsmodels combine_effects", () => {
  test("Q, p-value, pooled effect and I²", () => {
    for (const c of ref.heterogeneity) {
      const r = heterogeneityTest(c.effects.map((effect: number, i: number) => ({ segment: `s${i}`, effect, se: c.se[i] })));
      rel(r.q, c.q, 1e-12, "Q");
      rel(r.pValue, c.p_value, 1e-10, "p");
      rel(r.pooled, c.pooled, 1e-12, "pooled");
      // statsmodels reports (Q − df)/Q untruncated; I² is conventionally floored at 0.
      rel(r.i2, Math.max(0, c.i2), 1e-12, "I²");
    }
  });
});

describe("off-policy estimators against numpy", () => {
  test("IPS, SNIPS and DR with standard errors", () => {
    const o = ref.off_policy;
    for (const [name, f] of [
      ["ips", ips],
      ["snips", snips],
      ["dr", doublyRobust],
    ] as const) {
      const r = f(o.logs);
      rel(r.value, o[name][0], 1e-12, `${name} value`);
      rel(r.se, o[name][1], 1e-10, `${name} se`);
    }
  });
});
