import { test } from "node:test";
import assert from "node:assert/strict";
import type { RulesetExperiment } from "../../src/ruleset/types.js";
import { experimentReasons } from "../../src/runtime/experiment.js";
import type { Holdout } from "../../src/runtime/evaluation-scope.js";

const holdout = (key: string): Holdout => ({ bucketOf: () => 0, traffic: 0, reason: `in_holdout:${key}` });
const base: RulesetExperiment = {
  status: "running",
  phase: 1,
  unit: "user",
  schedule: {},
  holdout: true,
  traffic: 5000,
  variants: [
    { key: "control", weight: 5000 },
    { key: "treatment", weight: 5000 },
  ],
};

test("the reason ladder: each outcome is the rung it reached plus one step, and every list is frozen", () => {
  const r = experimentReasons(base, [holdout("h1"), holdout("h2")]);
  assert.deepEqual(r.beforeSchedule, ["running", "before_schedule"]);
  assert.deepEqual(r.afterSchedule, ["running", "after_schedule"]);
  assert.deepEqual(r.inHoldout, [
    ["running", "in_holdout:h1"],
    ["running", "in_holdout:h2"],
  ]);
  assert.deepEqual(r.targetingMismatch, ["running", "not_in_holdout", "targeting_mismatch"]);
  assert.deepEqual(r.outsideTraffic, ["running", "not_in_holdout", "targeting_match", "outside_traffic"]);
  assert.deepEqual(r.noVariant, ["running", "not_in_holdout", "targeting_match", "in_traffic", "no_variant"]);
  assert.deepEqual(r.variant, [
    ["running", "not_in_holdout", "targeting_match", "in_traffic", "variant:control"],
    ["running", "not_in_holdout", "targeting_match", "in_traffic", "variant:treatment"],
  ]);
  for (const list of [r.beforeSchedule, r.afterSchedule, ...r.inHoldout, r.targetingMismatch, r.outsideTraffic, r.noVariant, ...r.variant])
    assert.ok(Object.isFrozen(list));
});

test("the ladder of a layered experiment exempt from holdouts names slots and the exemption", () => {
  const r = experimentReasons({ ...base, holdout: false, layer: "checkout" }, []);
  assert.deepEqual(r.inHoldout, []);
  assert.deepEqual(r.outsideTraffic, ["running", "holdout_exempt", "targeting_match", "outside_layer_slot"]);
  assert.deepEqual(r.variant[1], ["running", "holdout_exempt", "targeting_match", "in_layer_slot", "variant:treatment"]);
});
