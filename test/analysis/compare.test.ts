// The reference comparator must catch what it is there to catch, or the end-to-end tests prove nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareToReference, describeMismatches } from "./compare.js";

const expected = {
  experiment: "x",
  srm: { chi2: 0.5, p_value: 0.48, ok: true },
  metrics: [
    { variants: { control: { n: 10, mean: 0.25, variance: 0.2 } }, comparisons: [{ diff: 0.01, diff_ci: [-0.02, 0.04], p_value: 0.3 }] },
  ],
};
const clone = () => JSON.parse(JSON.stringify(expected));

describe("reference comparator", () => {
  test("an identical document, with extra keys and provenance, matches", () => {
    assert.deepEqual(compareToReference({ ...clone(), provenance: { sqlSha256: "abc" }, power: {} }, expected), []);
  });

  test("estimates are held to 1e-9 relative", () => {
    const ok = clone();
    ok.metrics[0].variants.control.mean = 0.25 * (1 + 5e-10);
    assert.deepEqual(compareToReference(ok, expected), []);
    const bad = clone();
    bad.metrics[0].variants.control.mean = 0.25 * (1 + 2e-9);
    const ms = compareToReference(bad, expected);
    assert.equal(ms.length, 1);
    assert.equal(ms[0]!.path, "$.metrics[0].variants.control.mean");
    assert.match(describeMismatches(ms), /\$\.metrics\[0\]\.variants\.control\.mean: got 0\.25000000\d+, expected 0\.25/);
  });

  test("p-values and interval bounds are held to 1e-7 relative", () => {
    const ok = clone();
    ok.metrics[0].comparisons[0].p_value = 0.3 * (1 + 5e-8);
    ok.metrics[0].comparisons[0].diff_ci[1] = 0.04 * (1 - 5e-8);
    assert.deepEqual(compareToReference(ok, expected), []);
    const bad = clone();
    bad.metrics[0].comparisons[0].diff_ci[0] = -0.02 * (1 + 2e-7);
    assert.deepEqual(
      compareToReference(bad, expected).map((m) => m.path),
      ["$.metrics[0].comparisons[0].diff_ci[0]"],
    );
    const diff = clone();
    diff.metrics[0].comparisons[0].diff = 0.01 * (1 + 5e-8);
    assert.deepEqual(
      compareToReference(diff, expected).map((m) => m.path),
      ["$.metrics[0].comparisons[0].diff"],
    );
  });

  test("missing keys, nulls, wrong lengths and other values are mismatches", () => {
    const missing = clone();
    delete missing.srm.p_value;
    assert.deepEqual(
      compareToReference(missing, expected).map((m) => m.path),
      ["$.srm.p_value"],
    );
    const nulled = clone();
    nulled.metrics[0].variants.control.variance = null;
    assert.deepEqual(
      compareToReference(nulled, expected).map((m) => m.path),
      ["$.metrics[0].variants.control.variance"],
    );
    const short = clone();
    short.metrics[0].comparisons = [];
    assert.deepEqual(
      compareToReference(short, expected).map((m) => m.path),
      ["$.metrics[0].comparisons"],
    );
    const flipped = clone();
    flipped.srm.ok = false;
    flipped.experiment = "y";
    assert.deepEqual(
      compareToReference(flipped, expected).map((m) => m.path),
      ["$.experiment", "$.srm.ok"],
    );
  });
});
