import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { alphaSpent, groupSequentialBounds } from "../../src/stats/group-sequential.js";
import { analyzeStats } from "../../src/stats/experiment.js";
import { normalQuantile } from "../../src/stats/distributions.js";
import type { AnalysisInput } from "../../src/stats/analysis-types.js";

// SciPy's multivariate normal rectangle probabilities (Genz, ~1e-5) solve the same boundaries
// independently in test/stats/scipy-reference.py; the published gsDesign/ldbounds values for five
// equally spaced looks at two-sided α = 0.05 are 4.8769, 3.3569, 2.6803, 2.2898, 2.0310 (O'Brien–
// Fleming-type) and 2.4380, 2.4268, 2.4102, 2.3966, 2.3860 (Pocock-type).
const ref = JSON.parse(readFileSync("test/stats/scipy-reference.json", "utf8"));

describe("Lan–DeMets group-sequential boundaries", () => {
  for (const c of ref.group_sequential) {
    test(`${c.spending} α=${c.alpha} at ${c.times.join(", ")} against SciPy`, () => {
      const got = groupSequentialBounds(c.times, c.alpha, c.spending);
      c.bounds.forEach((b: number, i: number) => assert.ok(Math.abs(got[i]! - b) <= 1e-4 * b, `look ${i + 1}: ${got[i]} vs ${b}`));
    });
  }

  test("published five-look values", () => {
    const t = [0.2, 0.4, 0.6, 0.8, 1];
    const obf = groupSequentialBounds(t, 0.05);
    [4.8769, 3.3569, 2.6803, 2.2898, 2.031].forEach((b, i) => assert.ok(Math.abs(obf[i]! - b) < 2e-4, `OBF ${i}: ${obf[i]}`));
    const pocock = groupSequentialBounds(t, 0.05, "pocock");
    [2.438, 2.4268, 2.4102, 2.3966, 2.386].forEach((b, i) => assert.ok(Math.abs(pocock[i]! - b) < 1e-4, `Pocock ${i}: ${pocock[i]}`));
  });

  test("one look spends all of α: the fixed-horizon quantile", () => {
    assert.ok(Math.abs(groupSequentialBounds([1], 0.05)[0]! - 1.959963984540054) < 1e-9);
    assert.ok(Math.abs(alphaSpent(1, 0.05, "obrien_fleming") - 0.05) < 1e-15);
    assert.ok(Math.abs(alphaSpent(1, 0.05, "pocock") - 0.05) < 1e-15);
  });

  // gsDesign (sfLDOF) / ldbounds, two-sided α = 0.05 with equally spaced looks; re-derived with the
  // SciPy solver of test/stats/scipy-reference.py (Genz rectangle probabilities) to the digits shown.
  for (const [k, published] of [
    [3, [3.7103, 2.5114, 1.993]],
    [4, [4.3326, 2.9631, 2.359, 2.0141]],
    [5, [4.8769, 3.357, 2.6803, 2.2898, 2.031]],
  ] as const) {
    test(`O'Brien–Fleming spending, K = ${k}: published boundaries`, () => {
      const got = groupSequentialBounds(
        Array.from({ length: k }, (_, j) => (j + 1) / k),
        0.05,
      );
      published.forEach((b, i) => assert.ok(Math.abs(got[i]! - b) < 1.5e-4, `look ${i + 1}: ${got[i]} vs ${b}`));
    });
  }
});

describe("analyzeStats at a look", () => {
  const arm = (n: number, p: number) => ({ kind: "mean" as const, n, sum: n * p, sumSq: n * p });
  const input = (groupSequential: AnalysisInput["groupSequential"]): AnalysisInput => ({
    experiment: "e",
    phase: 1,
    method: "group_sequential",
    alpha: 0.05,
    correction: "none",
    srmThreshold: 0.001,
    control: "control",
    variants: [
      { key: "control", weight: 1 },
      { key: "treatment", weight: 1 },
    ],
    metrics: [{ metric: "conv", tier: "primary", kind: "conversion" }],
    units: { control: 5000, treatment: 5000 },
    multipleExposures: 0,
    stats: { conv: { control: arm(5000, 0.1), treatment: arm(5000, 0.112) } },
    groupSequential,
  });

  test("K = 1: the single, final look's boundary is the fixed-horizon z", () => {
    const r = analyzeStats(input({ looks: 1, look: 1 }));
    assert.ok(Math.abs(r.group_sequential!.boundary - normalQuantile(0.975)) < 1e-9);
    assert.ok(Math.abs(r.group_sequential!.nominal_alpha - 0.05) < 1e-9);
    assert.equal(r.group_sequential!.information_fraction, 1);
  });

  test("an information fraction short of the calendar look moves the boundary (SciPy: 2.81525)", () => {
    // Look 3 at information 0.55: the spending function at 0.55, earlier looks at 0.55/3 and 1.1/3.
    const r = analyzeStats(input({ looks: 5, look: 3, informationFraction: 0.55 }));
    assert.ok(Math.abs(r.group_sequential!.boundary - 2.81525) < 2e-4, `${r.group_sequential!.boundary}`);
    const planned = analyzeStats(input({ looks: 5, look: 3 }));
    assert.ok(Math.abs(planned.group_sequential!.boundary - 2.6803) < 1.5e-4);
  });

  test("an information fraction outside (0, 1] falls back to fixed horizon", () => {
    const r = analyzeStats(input({ looks: 3, look: 1, informationFraction: 0 }));
    assert.equal(r.method, "fixed");
    assert.equal(r.group_sequential, undefined);
  });
});
