// The server's check of an SDK exposure against its ruleset agrees with the evaluator: what the
// evaluator assigns passes, and every other claim is refused with its reason.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../../src/compiler/ruleset/compile.js";
import { createEvaluator } from "../../../src/runtime/evaluator.js";
import { exposureProblem } from "../../../src/runtime/server/exposure-check.js";
import { shopWorkspace } from "../fixture.js";

const ruleset = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z" }).value;
const ev = createEvaluator(ruleset);
const T0 = Date.parse("2026-12-10T00:00:00Z");
// Attributes every targeting of the shop workspace accepts, so that only buckets decide.
const ATTRS = { country: "US", platform: "web", account_age_days: 400 };

describe("exposureProblem", () => {
  const reasons = new Set<string>();
  for (const experiment of ["checkout_redesign", "checkout_copy", "search_ranker_v2", "onboarding"]) {
    test(`${experiment}: agrees with the evaluator on 2,000 units`, () => {
      const phase = ruleset.experiments[experiment]!.phase;
      const variants = ruleset.experiments[experiment]!.variants.map((v) => v.key);
      for (let i = 0; i < 2000; i++) {
        const unit = `u${i}`;
        const a = ev.assign(experiment, unit, ATTRS, T0);
        for (const variant of variants) {
          const problem = exposureProblem(ruleset, { experiment, phase, unit, variant });
          if (a.variant === variant) assert.equal(problem, undefined, `${unit} ${variant}`);
          else {
            assert.ok(problem, `${unit} ${variant} passed, but the evaluator says ${a.reasons.join(" ")}`);
            reasons.add(problem.replace(/"[^"]*"/g, "…"));
          }
        }
      }
    });
  }

  test("every refusal reason came up", () => {
    assert.deepEqual([...reasons].sort(), [
      "experiment … gives the unit variant …, not …",
      "the unit is in holdout …, which experiment … excludes",
      "the unit is outside the layer slots of experiment …",
      "the unit is outside the traffic of experiment …",
    ]);
  });

  test("an unknown experiment or another phase is refused", () => {
    assert.match(exposureProblem(ruleset, { experiment: "nope", phase: 1, unit: "u", variant: "control" })!, /no experiment "nope"/);
    assert.match(
      exposureProblem(ruleset, { experiment: "search_ranker_v2", phase: 1, unit: "u", variant: "control" })!,
      /is in phase 2, not 1/,
    );
  });
});
