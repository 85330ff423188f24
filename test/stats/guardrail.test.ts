import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nonInferiority } from "../../src/stats/noninferiority.js";
import { srmCheck } from "../../src/stats/srm.js";

// z_{0.95} = 1.6448536269514722 and Φ values below from scipy.stats.norm.
describe("non-inferiority on the relative lift", () => {
  test("increase metric: a small drop within a 2% margin passes", () => {
    const r = nonInferiority(-0.005, 0.005, 0.02, "increase", 0.05);
    assert.equal(r.passed, true);
    assert.equal(r.breached, false);
    assert.ok(Math.abs(r.bound - (-0.005 - 1.6448536269514722 * 0.005)) < 1e-15);
    assert.ok(Math.abs(r.pValue - 0.0013498980316300933) < 1e-15); // norm.sf((−0.005 + 0.02) / 0.005)
  });

  test("increase metric: a drop clearly past the margin is breached", () => {
    const r = nonInferiority(-0.05, 0.01, 0.02, "increase", 0.05);
    assert.equal(r.passed, false);
    assert.equal(r.breached, true);
  });

  test("decrease metric: a rise is the harm, mirrored", () => {
    const up = nonInferiority(0.05, 0.01, 0.02, "decrease", 0.05);
    assert.equal(up.breached, true);
    const down = nonInferiority(-0.05, 0.01, 0.02, "decrease", 0.05);
    assert.equal(down.passed, true);
    assert.ok(Math.abs(down.pValue - 1.279812543885835e-12) < 1e-20); // norm.sf((0.02 + 0.05) / 0.01)
  });

  test("too little data is inconclusive, not breached", () => {
    const r = nonInferiority(-0.01, 0.05, 0.02, "increase", 0.05);
    assert.equal(r.passed, false);
    assert.equal(r.breached, false);
  });
});

describe("SRM edge cases", () => {
  test("units in a zero-weight arm are a mismatch outright", () => {
    const r = srmCheck([500, 500, 3], [1, 1, 0], 0.001);
    assert.equal(r.ok, false);
    assert.equal(r.pValue, 0);
  });
  test("no units at all is not a mismatch", () => {
    assert.equal(srmCheck([0, 0], [1, 1], 0.001).ok, true);
  });
});
