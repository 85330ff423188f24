// A guarded rollout's exposures: the SDK logs which side a unit is on, once per step, and the server
// accepts exactly what the ruleset gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createEvaluator } from "../../../../src/runtime/evaluator.js";
import { ExposureDedup } from "../../../../src/runtime/sdk/exposure-dedup.js";
import { ExposureLogger } from "../../../../src/runtime/sdk/exposure-logger.js";
import type { Exposure } from "../../../../src/runtime/sdk/wire.js";
import { exposureProblem } from "../../../../src/runtime/server/exposure-check.js";
import { rolloutPhase, timedSteps } from "../../../../src/runtime/rollout-phase.js";
import { GUARD_KEY, START, guardedWorkspace } from "./guarded-rollout.js";

test("the SDK logs each unit's side of a guarded rollout once, and the server checks the side against the bucket", async () => {
  const { ruleset } = await guardedWorkspace();
  const evaluator = createEvaluator(ruleset);
  const sent: Exposure[] = [];
  const logger = new ExposureLogger(evaluator, { exposure: (x) => void sent.push(x) }, new ExposureDedup(1000), () => START);
  const at = START + 60_000;
  const sides = new Map<string, string>();
  for (let i = 0; i < 100; i++) {
    const unit = `u${i}`;
    const r = evaluator.evaluate("new_checkout", unit, {}, at);
    // Units in a holdout are served the default without the rollout deciding: nothing to log.
    if (r.reason === "rollout" || r.reason === "rollout_excluded") sides.set(unit, r.reason === "rollout" ? "rollout" : "default");
    logger.flagServed("new_checkout", r, unit, {}, at);
    logger.flagServed("new_checkout", r, unit, {}, at);
  }
  assert.ok(sides.size > 90);
  assert.equal(sent.length, sides.size, "once per unit and step");
  assert.ok(new Set(sent.map((x) => x.variant)).size === 2);
  for (const x of sent) {
    assert.equal(x.experimentKey, GUARD_KEY);
    assert.equal(x.phase, 1);
    assert.equal(x.variant, sides.get(x.userId));
    const claim = { experiment: x.experimentKey, phase: x.phase, unit: x.userId, variant: x.variant };
    assert.equal(exposureProblem(ruleset, claim), undefined);
    const flipped = x.variant === "rollout" ? "default" : "rollout";
    assert.match(exposureProblem(ruleset, { ...claim, variant: flipped }) ?? "", /puts the unit on/);
  }
  // Before the first step nothing is served from the rollout, and nothing is logged.
  const early = evaluator.evaluate("new_checkout", "early", {}, START - 1);
  logger.flagServed("new_checkout", early, "early", {}, START - 1);
  assert.equal(sent.length, sides.size);
});

test("a rollout's phase is its step in force, and 0 where one side is empty", () => {
  const steps = timedSteps([
    { at: "2026-12-01T00:00:00Z", traffic: 1000 },
    { at: "2026-12-02T00:00:00Z", traffic: 5000 },
    { at: "2026-12-03T00:00:00Z", traffic: 10000 },
  ]);
  assert.equal(rolloutPhase(steps, START - 1), 0);
  assert.equal(rolloutPhase(steps, START), 1);
  assert.equal(rolloutPhase(steps, START + 86_400_000), 2);
  assert.equal(rolloutPhase(steps, START + 2 * 86_400_000), 0, "at 100% there is no default side");
  assert.equal(rolloutPhase(timedSteps([{ at: "1970-01-01T00:00:00.000Z", traffic: 0 }]), START), 0, "rolled back");
});
