import assert from "node:assert/strict";
import { describe, test } from "node:test";
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
