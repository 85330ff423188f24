import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { alphaSpent, groupSequentialBounds } from "../../src/stats/group-sequential.js";

// SciPy's multivariate normal rectangle probabilities (Genz, ~1e-5) solve the same boundaries
// independently in test/stats/scipy-reference.py; the published gsDesign/ldbounds values for five
// equally spaced looks at two-sided α = 0.05 are 4.8769, 3.3569, 2.6803, 2.2898, 2.0310 (O'Brien–
// Fleming-type) and 2.4380, 2.4268, 2.4102, 2.3966, 2.3860 (Pocock-type).
const ref = JSON.parse(readFileSync("test/stats/scipy-reference.json", "utf8"));

describe("Lan–DeMets group-sequential boundaries", () => {
  for (const c of ref.group_sequential) {
    test(`${c.spending} α=${c.alpha} at ${c.times.join(", ")} against SciPy`, () => {
      const got = groupSequentialBounds(c.times, c.alpha, c.spending);
      c.bounds.forEach((b: number, i: number) => assert.ok(Math.abs(got[i] - b) <= 1e-4 * b, `look ${i + 1}: ${got[i]} vs ${b}`));
    });
  }

  test("published five-look values", () => {
    const t = [0.2, 0.4, 0.6, 0.8, 1];
    const obf = groupSequentialBounds(t, 0.05);
    [4.8769, 3.3569, 2.6803, 2.2898, 2.031].forEach((b, i) => assert.ok(Math.abs(obf[i] - b) < 2e-4, `OBF ${i}: ${obf[i]}`));
    const pocock = groupSequentialBounds(t, 0.05, "pocock");
    [2.438, 2.4268, 2.4102, 2.3966, 2.386].forEach((b, i) => assert.ok(Math.abs(pocock[i] - b) < 1e-4, `Pocock ${i}: ${pocock[i]}`));
  });

  test("one look spends all of α: the fixed-horizon quantile", () => {
    assert.ok(Math.abs(groupSequentialBounds([1], 0.05)[0] - 1.959963984540054) < 1e-9);
    assert.ok(Math.abs(alphaSpent(1, 0.05, "obrien_fleming") - 0.05) < 1e-15);
    assert.ok(Math.abs(alphaSpent(1, 0.05, "pocock") - 0.05) < 1e-15);
  });
});
