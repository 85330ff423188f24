import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AnalysisInput } from "../../src/stats/analysis-types.js";
import { analyzeStats } from "../../src/stats/experiment.js";
import { heterogeneityTest } from "../../src/stats/heterogeneity.js";
import { groupSlices, type SliceInput } from "../../src/stats/slice-groups.js";

const mean = (n: number, sum: number, sumSq: number) => ({ kind: "mean" as const, n, sum, sumSq });

function slice(name: string | null, control: number, treatment: number): SliceInput {
  return {
    slice: name,
    units: { control, treatment },
    stats: { conv: { control: mean(control, control / 10, control / 10), treatment: mean(treatment, treatment / 5, treatment / 5) } },
  };
}

describe("slices under the minimum size", () => {
  test("small values are merged into (other), whose statistics are the sums of theirs", () => {
    const groups = groupSlices([slice("web", 300, 300), slice("tv", 40, 30), slice("car", 20, 25), slice("ios", 200, 210)], 100);
    assert.deepEqual(
      groups.map((g) => [g.slice, g.units]),
      [
        ["web", { control: 300, treatment: 300 }],
        ["ios", { control: 200, treatment: 210 }],
        ["(other)", { control: 60, treatment: 55 }],
      ],
    );
    assert.deepEqual(groups[2]!.merged, ["tv", "car"]);
    assert.deepEqual(groups[2]!.stats["conv"]!["control"], mean(60, 6, 6));
  });

  test("an (other) still under the minimum joins the smallest slice, so no small value can be read off by subtraction", () => {
    const groups = groupSlices([slice("web", 300, 300), slice(null, 10, 5), slice("ios", 60, 70)], 100);
    assert.deepEqual(
      groups.map((g) => g.slice),
      ["web", "ios + (other)"],
    );
    assert.deepEqual(groups[1]!.merged, ["ios", "(none)"]);
    assert.ok(groups.every((g) => g.units["control"]! + g.units["treatment"]! >= 100));
  });

  test("when every value is small they are shown together as one (other)", () => {
    const groups = groupSlices([slice("a", 10, 10), slice("b", 10, 10)], 100);
    assert.deepEqual(
      groups.map((g) => [g.slice, g.merged]),
      [["(other)", ["a", "b"]]],
    );
  });
});

describe("Cochran's Q across slices", () => {
  test("the p-value keeps its relative precision far in the tail (upper incomplete gamma, not 1 − cdf)", () => {
    // Q = 200 on 2 df and Q = 900 on 3 df; SciPy's chi2.sf gives 3.7200759760208177e-44 and 8.851690237125443e-195.
    const two = heterogeneityTest([
      { segment: "a", effect: 0, se: 1 },
      { segment: "b", effect: 20, se: 1 },
      { segment: "c", effect: 10, se: 1 },
    ]);
    assert.ok(Math.abs(two.q - 200) < 1e-9);
    assert.ok(Math.abs(two.pValue / 3.7200759760208177e-44 - 1) < 1e-12, String(two.pValue));
    const three = heterogeneityTest([
      { segment: "a", effect: -30, se: 2 },
      { segment: "b", effect: 30, se: 2 },
      { segment: "c", effect: 30, se: 2 },
      { segment: "d", effect: -30, se: 2 },
    ]);
    assert.ok(Math.abs(three.q - 900) < 1e-9);
    assert.ok(Math.abs(three.pValue / 8.851690237125443e-195 - 1) < 1e-12, String(three.pValue));
  });
});

describe("the fairness guardrail in the decision", () => {
  // Conversions from counts: n units with k converted give sum = sumSq = k.
  const conv = (n: number, k: number) => ({ kind: "mean" as const, n, sum: k, sumSq: k });
  const group = (name: string, n: number, control: number, treatment: number): SliceInput => ({
    slice: name,
    units: { control: n, treatment: n },
    stats: { conv: { control: conv(n, control), treatment: conv(n, treatment) } },
  });
  const input = (groups: SliceInput[], maxDisparity: number): AnalysisInput => {
    const total = (v: "control" | "treatment") => groups.reduce((a, g) => a + (g.stats["conv"]![v] as { sum: number }).sum, 0);
    const n = groups.reduce((a, g) => a + g.units["control"]!, 0);
    return {
      experiment: "e",
      phase: 1,
      method: "fixed",
      alpha: 0.05,
      correction: "none",
      srmThreshold: 0.001,
      control: "control",
      variants: [
        { key: "control", weight: 1 },
        { key: "treatment", weight: 1 },
      ],
      metrics: [{ metric: "conv", tier: "primary", kind: "conversion" }],
      units: { control: n, treatment: n },
      multipleExposures: 0,
      stats: { conv: { control: conv(n, total("control")), treatment: conv(n, total("treatment")) } },
      fairness: { attribute: "age_band", metrics: ["conv"], maxDisparity, minUnits: 100, labels: [], slices: groups },
    };
  };

  test("a group harmed beyond the margin rolls the experiment back, and a group under the minimum is never shown alone", () => {
    const r = analyzeStats(input([group("young", 6000, 600, 780), group("old", 5000, 500, 350), group("tiny", 20, 2, 2)], 0.05));
    assert.equal(r.fairness!.breached, true);
    assert.deepEqual(
      r.fairness!.groups.map((g) => g.group),
      ["young", "old + (other)"],
    );
    assert.equal(r.decision.recommendation, "rollback");
    assert.match(
      r.decision.reasons.join(" "),
      /Fairness guardrail on "age_band": the effect of "treatment" on "conv" for group "old \+ \(other\)"/,
    );
  });

  test("equal effects within the margin pass and leave the decision to the metrics", () => {
    const r = analyzeStats(input([group("young", 5000, 500, 600), group("old", 5000, 500, 600)], 0.5));
    assert.equal(r.fairness!.passed, true);
    assert.notEqual(r.decision.recommendation, "rollback");
  });
});
