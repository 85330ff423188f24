import assert from "node:assert/strict";
import { test } from "node:test";
import type { RulesetExperiment } from "../../../../src/ruleset/types.js";
import type { ComparisonJson } from "../../../../src/stats/analysis-types.js";
import type { LiveDefinitions } from "../../../../src/runtime/server/live/definitions.js";
import { LiveStats } from "../../../../src/runtime/server/live/live-stats.js";
import { guardrailState, liveSummary } from "../../../../src/runtime/server/live/summary.js";

const comparison = (lo: number, hi: number, code: ComparisonJson["code"] = "OK"): ComparisonJson => ({
  variant: "t",
  code,
  diff: 0,
  diff_ci: [0, 0],
  rel_lift: (lo + hi) / 2,
  rel_ci: [lo, hi],
  p_value: 1,
  p_value_adjusted: 1,
  significant: false,
});

test("a guardrail fails when the whole confidence sequence is a regression beyond the margin, and passes when it rules one out", () => {
  // An increase metric: a fall is the harm.
  assert.equal(guardrailState(comparison(-0.2, -0.05), "increase", 0.02), "failed");
  assert.equal(guardrailState(comparison(-0.01, 0.3), "increase", 0.02), "passed");
  assert.equal(guardrailState(comparison(-0.05, 0.3), "increase", 0.02), "inconclusive");
  // A decrease metric: a rise is the harm.
  assert.equal(guardrailState(comparison(0.05, 0.2), "decrease", 0.02), "failed");
  assert.equal(guardrailState(comparison(-0.3, 0.01), "decrease", 0.02), "passed");
  assert.equal(guardrailState(comparison(-0.3, 0.05), "decrease", 0.02), "inconclusive");
  // Without a margin any regression counts; without a comparison nothing is known.
  assert.equal(guardrailState(comparison(-0.2, -0.001), "increase", 0), "failed");
  assert.equal(guardrailState(comparison(NaN, NaN, "EMPTY_ARM"), "increase", 0.02), "inconclusive");
});

test("the summary has units, SRM at the given threshold, per-variant means and lifts, and names what is not available live", () => {
  const defs: LiveDefinitions = {
    srmThreshold: 0.2,
    experiments: {
      exp: {
        control: "control",
        alpha: 0.05,
        correction: "none",
        sessionUnit: false,
        excludedUnits: [],
        metrics: [
          {
            design: { metric: "errors", tier: "guardrail", kind: "count", direction: "decrease", maxRegression: 0.02, cuped: false },
            windowMs: 86_400_000,
            aggregates: [{ fn: "count", event: "error" }],
            value: { shape: "mean", y: { op: "agg", index: 0 } },
          },
          {
            design: { metric: "p95", tier: "guardrail", kind: "quantile", cuped: false },
            unavailable: "a quantile needs every event value",
          },
        ],
      },
    },
  };
  const live = new LiveStats(defs);
  const t0 = Date.parse("2026-11-01T00:00:00Z");
  const ts = new Date(t0).toISOString();
  for (let i = 0; i < 400; i++) {
    const variant = i % 3 === 0 ? "treatment" : "control";
    live.exposure({ id: `x${i}`, unit_id: `u${i}`, experiment: "exp", phase: 2, variant, ts, metadata: null });
    const errors = variant === "treatment" ? 5 + (i % 2) : 1 + (i % 2);
    for (let k = 0; k < errors; k++)
      live.event({ id: `e${i}/${k}`, unit_id: `u${i}`, session_id: null, event: "error", ts, value: null, properties: null });
  }
  const e: RulesetExperiment = {
    status: "running",
    phase: 2,
    unit: "user",
    schedule: {},
    holdout: false,
    traffic: 10000,
    variants: [
      { key: "control", weight: 5000 },
      { key: "treatment", weight: 5000 },
    ],
  };
  const s = liveSummary(live, "exp", e);
  assert.deepEqual(s.exposures, { control: 266, treatment: 134 });
  assert.equal(s.srm.threshold, 0.2);
  assert.equal(s.srm.ok, false, "a 2:1 split against 1:1 weights");
  const errors = s.metrics[0]!;
  const p95 = s.metrics[1];
  assert.ok(errors!.available);
  assert.deepEqual(
    errors.variants.map((v) => [v.variant, v.units, v.mean]),
    [
      ["control", 266, 1.5],
      ["treatment", 134, 5.5],
    ],
  );
  assert.equal(errors.variants[1]!.guardrail, "failed");
  assert.deepEqual(errors.guardrail, { max_regression: 0.02, state: "failed" });
  assert.ok(errors.variants[1]!.lift_cs[0]! > 0.02);
  assert.deepEqual(p95, { metric: "p95", tier: "guardrail", available: false, reason: "a quantile needs every event value" });
  // Another phase of the same experiment has no units yet.
  assert.deepEqual(liveSummary(live, "exp", { ...e, phase: 3 }).exposures, { control: 0, treatment: 0 });
});
