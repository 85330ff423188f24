// The decision framework's gates (docs/analysis.md#decision): a fixed-horizon test decides nothing
// before its horizon, no method decides before the minimum duration and sample, and harm (a breached
// guardrail, a sample ratio mismatch) is called at any time.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { analyzeStats } from "../../src/stats/experiment.js";
import type { AnalysisInput, MetricDesign } from "../../src/stats/analysis-types.js";
import type { MeanStats, Method } from "../../src/stats/types.js";

const conv = (n: number, s: number): MeanStats => ({ kind: "mean", n, sum: s, sumSq: s });
const mean = (n: number, m: number, sd: number): MeanStats => ({ kind: "mean", n, sum: n * m, sumSq: (n - 1) * sd * sd + n * m * m });

const primary: MetricDesign = { metric: "purchase_conversion", tier: "primary", kind: "conversion" };
const latency: MetricDesign = { metric: "page_load", tier: "guardrail", kind: "mean", direction: "decrease", maxRegression: 0.02 };

/** Start, end and as-of of a 28-day schedule looked at on day `day`. */
function dates(day: number) {
  return {
    start: "2026-12-01T00:00:00.000Z",
    end: "2026-12-29T00:00:00.000Z",
    asOf: new Date(Date.parse("2026-12-01T00:00:00Z") + day * 86_400_000).toISOString(),
  };
}

type Design = NonNullable<AnalysisInput["decision"]>;

/** A clear primary win (+24%, p < 0.001) with a passing latency guardrail, 10,000 units per arm unless told. */
function analyse(o: { method?: Method; design?: Partial<Design>; perArm?: number; treatment?: number; latency?: number } = {}) {
  const n = o.perArm ?? 10000;
  const design: Design = {
    minDurationDays: 7,
    minUnitsPerVariant: 1000,
    ship: "any_primary",
    guardrails: "must_pass",
    ...dates(28),
    ...o.design,
  };
  return analyzeStats({
    experiment: "checkout_redesign",
    phase: 1,
    method: o.method ?? "fixed",
    alpha: 0.05,
    correction: "bh",
    srmThreshold: 0.001,
    control: "control",
    variants: [
      { key: "control", weight: 50 },
      { key: "treatment", weight: 50 },
    ],
    metrics: [primary, latency],
    units: { control: n, treatment: n },
    multipleExposures: 0,
    stats: {
      purchase_conversion: { control: conv(n, n * 0.05), treatment: conv(n, Math.round(n * (o.treatment ?? 0.062))) },
      page_load: { control: mean(n, 300, 50), treatment: mean(n, o.latency ?? 299, 50) },
    },
    decision: design,
  });
}

describe("the decision framework's gates", () => {
  test("a fixed-horizon test does not ship before its end date, and says why", () => {
    const r = analyse({ design: { ...dates(6), minDurationDays: 5 } });
    assert.equal(r.metrics[0]!.comparisons[0]!.significant, true, "the evidence alone would ship");
    assert.equal(r.decision.recommendation, "keep_running");
    assert.deepEqual(r.decision.reasons, [
      "Fixed-horizon test: 6 of 28 days until its end on 2026-12-29; results before the horizon are not valid evidence; use method: sequential to decide early.",
    ]);
    assert.deepEqual(r.decision.horizon, {
      basis: "end_date",
      reached: false,
      end: "2026-12-29T00:00:00.000Z",
      elapsed_days: 6,
      total_days: 28,
    });
  });

  test("nor stop for a significantly worse primary before it", () => {
    const r = analyse({ design: dates(10), treatment: 0.04 });
    assert.equal(r.decision.recommendation, "keep_running");
    assert.match(r.decision.reasons[0]!, /^Fixed-horizon test: 10 of 28 days/);
    assert.equal(analyse({ treatment: 0.04 }).decision.recommendation, "stop", "at the horizon it stops");
  });

  test("the planned sample of the power design is the horizon when declared, before the end date", () => {
    const r = analyse({ design: { plannedUnits: 50000 } });
    assert.equal(r.decision.recommendation, "keep_running");
    assert.deepEqual(r.decision.reasons, [
      "Fixed-horizon test: 20,000 of 50,000 planned units (40%, from the power design); results before the horizon are not valid evidence; use method: sequential to decide early.",
    ]);
    const reached = analyse({ design: { ...dates(10), plannedUnits: 20000 } });
    assert.equal(reached.decision.recommendation, "ship");
    assert.deepEqual(reached.decision.horizon, { basis: "planned_units", reached: true, units: 20000, planned_units: 20000 });
  });

  test("a fixed-horizon test with neither end date nor planned sample never ships", () => {
    const r = analyse({ design: { end: undefined } });
    assert.equal(r.decision.recommendation, "keep_running");
    assert.match(r.decision.reasons[0]!, /^Fixed-horizon test without a horizon: declare schedule\.end or a power design/);
  });

  test("sequential and group-sequential methods may decide before the end date", () => {
    for (const method of ["sequential", "bayesian"] as const) {
      const r = analyse({ method, design: dates(10) });
      assert.equal(r.decision.horizon.basis, "not_required", method);
      assert.equal(r.decision.recommendation, "ship", method);
    }
  });

  test("no method decides before the minimum duration", () => {
    const r = analyse({ method: "sequential", design: dates(3) });
    assert.equal(r.decision.recommendation, "keep_running");
    assert.deepEqual(r.decision.reasons, [
      "Minimum duration not reached: 3 of 7 days since the phase started on 2026-12-01; a decision needs at least that long (decision.min_duration) to cover weekly cycles.",
    ]);
    assert.equal(r.decision.minimums.met, false);
    const shorter = analyse({ method: "sequential", design: { ...dates(3), minDurationDays: 2 } });
    assert.equal(shorter.decision.recommendation, "ship", "decision.min_duration is configurable");
  });

  test("no method decides before the minimum units per variant", () => {
    const r = analyse({ method: "sequential", perArm: 600, treatment: 0.15 });
    assert.equal(r.metrics[0]!.comparisons[0]!.significant, true);
    assert.equal(r.decision.recommendation, "keep_running");
    assert.deepEqual(r.decision.reasons, [
      'Minimum sample not reached: "control" has 600 of the 1,000 units each variant needs (decision.min_units_per_variant).',
    ]);
    assert.equal(
      analyse({ method: "sequential", perArm: 600, treatment: 0.15, design: { minUnitsPerVariant: 500 } }).decision.recommendation,
      "ship",
    );
  });

  test("harm is called at any time: a breached guardrail rolls back before the horizon and the minimums", () => {
    const r = analyse({ design: dates(2), latency: 330 });
    assert.equal(r.decision.recommendation, "rollback");
    assert.match(r.decision.reasons[0]!, /Guardrail "page_load" regressed beyond its margin of 2\.00% for "treatment"/);
  });

  test("at the horizon with the minimums met, a win with every guardrail passed ships", () => {
    const r = analyse();
    assert.equal(r.decision.recommendation, "ship");
    assert.equal(r.decision.horizon.reached, true);
    assert.equal(r.decision.minimums.met, true);
  });
});
