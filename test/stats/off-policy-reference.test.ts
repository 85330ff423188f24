import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { doublyRobust, ips, offPolicyFromSums, offPolicySums, snips } from "../../src/stats/off-policy.js";
import { assertMatchesReference, OFF_POLICY_REFERENCE as ref, referenceDecisions, rel } from "./off-policy-reference.js";

const options = (cap: number | null) => ({
  alpha: ref.alpha,
  ...(cap !== null ? { clip: cap } : {}),
  propensityFloor: ref.propensity_floor,
  minEss: 100,
  minEssShare: 0.01,
});

describe("off-policy evaluation from sums against numpy", () => {
  const decisions = referenceDecisions();
  for (const [name, run] of Object.entries<any>(ref.runs)) {
    test(`${name}: IPS, SNIPS, DR, differences and weight diagnostics`, () => {
      const sums = offPolicySums(decisions, {
        ...(run.clip.cap !== null ? { clip: run.clip.cap } : {}),
        propensityFloor: ref.propensity_floor,
      });
      // In-memory sums in one order; 1e-9 leaves room for the warehouse's summation order later.
      assertMatchesReference(offPolicyFromSums(sums, options(run.clip.cap)), run, 1e-9);
    });
  }

  test("the sums give the per-decision estimators' values and standard errors", () => {
    const valid = decisions.filter((d) => Number.isFinite(d.reward) && d.propensity > 0 && d.targetProbability <= 1);
    const r = offPolicyFromSums(offPolicySums(decisions), options(null));
    for (const [name, f] of [
      ["ips", ips],
      ["snips", snips],
      ["dr", doublyRobust],
    ] as const) {
      const e = r.estimates.find((x) => x.estimator === name)!;
      const direct = f(valid);
      rel(e.value, direct.value, 1e-12, `${name} value`);
      rel(e.se, direct.se, 1e-9, `${name} se`);
    }
  });

  test("a small effective sample size is flagged, a large one is not", () => {
    const sums = offPolicySums(decisions);
    assert.equal(offPolicyFromSums(sums, options(null)).weights.low_ess, false);
    assert.equal(offPolicyFromSums(sums, { ...options(null), minEss: 400 }).weights.low_ess, true);
    assert.equal(offPolicyFromSums(sums, { ...options(null), minEssShare: 0.2 }).weights.low_ess, true);
  });

  test("without a reward model there is no DR; without rows nothing is estimated", () => {
    const noModel = decisions.map(({ reward, propensity, targetProbability }) => ({ reward, propensity, targetProbability }));
    assert.deepEqual(
      offPolicyFromSums(offPolicySums(noModel), options(null)).estimates.map((e) => e.estimator),
      ["ips", "snips"],
    );
    const empty = offPolicyFromSums(offPolicySums([]), options(null));
    assert.equal(empty.estimates[0]!.code, "TOO_FEW_ROWS");
    assert.equal(empty.estimates[0]!.value, null);
    assert.equal(empty.weights.ess, null);
  });
});
