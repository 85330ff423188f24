import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { compareClustered, summarizeClustered } from "../../src/stats/clustered.js";
import type { ClusteredStats } from "../../src/stats/types.js";

// Values from test/stats/clustered-reference.py (statsmodels OLS, cov_type="cluster").
const ref = JSON.parse(readFileSync("test/stats/clustered-reference.json", "utf8")) as {
  cases: { treatment: Omit<ClusteredStats, "kind">; control: Omit<ClusteredStats, "kind">; diff: number; se: number }[];
};
const stats = (s: Omit<ClusteredStats, "kind">): ClusteredStats => ({ kind: "clustered", ...s });

describe("clustered standard errors against statsmodels cov_type='cluster'", () => {
  test("the difference and its SE match to 1e-9 relative", () => {
    assert.ok(ref.cases.length >= 6);
    for (const [i, c] of ref.cases.entries()) {
      const r = compareClustered(stats(c.treatment), stats(c.control), 0.05);
      assert.equal(r.code, "OK", `case ${i}`);
      assert.ok(Math.abs(r.diff - c.diff) <= 1e-9 * Math.abs(c.diff), `case ${i} diff: ${r.diff} vs ${c.diff}`);
      assert.ok(Math.abs(r.se - c.se) <= 1e-9 * c.se, `case ${i} se: ${r.se} vs ${c.se}`);
    }
  });

  test("users spanning both arms matter: without the cross term the SE differs", () => {
    const c = ref.cases.find((x) => x.treatment.shared > 10)!;
    const cut = { ...c.treatment, crossSS: 0, crossSN: 0, crossNS: 0, crossNN: 0 };
    const r = compareClustered(stats(cut), stats(c.control), 0.05);
    assert.ok(Math.abs(r.se - c.se) > 1e-6 * c.se);
  });

  test("an arm's variance / n is its clustered squared SE; one user is too few", () => {
    const one: ClusteredStats = {
      kind: "clustered",
      n: 3,
      sum: 6,
      clusters: 1,
      sumS2: 36,
      sumN2: 9,
      sumSN: 18,
      shared: 0,
      crossSS: 0,
      crossSN: 0,
      crossNS: 0,
      crossNN: 0,
    };
    assert.equal(summarizeClustered(one).code, "TOO_FEW_UNITS");
    // Two users with sessions [1, 3] and [5]: mean 3, residual sums -2 and 2, G/(G-1) = 2.
    const two: ClusteredStats = {
      kind: "clustered",
      n: 3,
      sum: 9,
      clusters: 2,
      sumS2: 41,
      sumN2: 5,
      sumSN: 13,
      shared: 0,
      crossSS: 0,
      crossSN: 0,
      crossNS: 0,
      crossNN: 0,
    };
    const arm = summarizeClustered(two);
    assert.equal(arm.mean, 3);
    assert.ok(Math.abs(arm.variance / arm.n - (2 * 8) / 9) < 1e-12);
  });
});
