// The analysis semantics (docs/analysis.md) checked on a real engine against the hand-worked sums of scenario.ts.
// Each engine's test file calls this with a way to get an empty warehouse.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fetchSufficientStats } from "../../src/analysis/fetch-stats.js";
import type { Warehouse } from "../../src/analysis/warehouse.js";
import { loadScenario, scenarioWorkspace } from "./scenario.js";

type Stats = Record<string, unknown>;

async function run(open: () => Promise<Warehouse>, asOf?: string) {
  const w = await open();
  try {
    await loadScenario(w);
    const { workspace, experiment } = scenarioWorkspace();
    const result = await fetchSufficientStats(w, workspace, experiment, { asOf });
    assert.deepEqual(result.diagnostics, []);
    const metric = (key: string) => {
      const m = result.metrics.find((x) => x.metric === key);
      assert.ok(m, `metric ${key} missing`);
      return m;
    };
    return { result, metric };
  } finally {
    await w.close();
  }
}

const mean = (n: number, sum: number, sumSq: number): Stats => ({ kind: "mean", n, sum, sumSq });

export function semanticsTests(open: () => Promise<Warehouse>): void {
  // One load and one analysis per as-of value, shared by the tests that read it: engines are slow to start, sums are cheap to check.
  const cache = new Map<string, ReturnType<typeof run>>();
  const analysed = (asOf?: string) => {
    const key = asOf ?? "";
    if (!cache.has(key)) cache.set(key, run(open, asOf));
    return cache.get(key)!;
  };
  test("first exposure, multiple-exposure exclusion and the data window", async () => {
    const { result } = await analysed();
    // control: u1, u2, u8; treatment: u3, u4, u6; u5 saw both; u7 is in another experiment.
    assert.deepEqual(result.units, { control: 3, treatment: 3 });
    assert.equal(result.multipleExposures, 1);
    assert.deepEqual(result.dataWindow, { start: "2026-12-01T00:00:00.000Z", end: "2026-12-11T00:00:00.000Z" });
  });

  test("conversion and sum: half-open window edges and zero fill", async () => {
    const { metric } = await analysed();
    // u1: the purchase at first exposure counts, the one at exactly +1d does not → converted; u8 → 0.
    assert.deepEqual(metric("conv").variants, { control: mean(3, 2, 2), treatment: mean(3, 2, 2) });
    // control 15 (10 + 5; the 100 at +1d and the pre-period 7 are out), 20, 0; treatment 70, 0, 50.
    assert.deepEqual(metric("revenue").variants, { control: mean(3, 35, 15 ** 2 + 20 ** 2), treatment: mean(3, 120, 70 ** 2 + 50 ** 2) });
  });

  test("where-filter on a string property", async () => {
    const { metric } = await analysed();
    // u1's 5 EUR purchase drops out.
    assert.deepEqual(metric("usd_revenue").variants, {
      control: mean(3, 30, 10 ** 2 + 20 ** 2),
      treatment: mean(3, 120, 70 ** 2 + 50 ** 2),
    });
  });

  test("ratio: per-unit numerator and denominator, zero denominators stay in", async () => {
    const { metric } = await analysed();
    // control: u2 has 1 click at position 5 (<= 5 includes the edge) over 1 impression; u1 and u8 are 0/0.
    // treatment: u4 has 1 qualifying click (position 3, not 9) over 2 impressions.
    assert.deepEqual(metric("ctr").variants, {
      control: { kind: "ratio", n: 3, sumNum: 1, sumDen: 1, sumNum2: 1, sumDen2: 1, sumNumDen: 1 },
      treatment: { kind: "ratio", n: 3, sumNum: 1, sumDen: 2, sumNum2: 1, sumDen2: 4, sumNumDen: 2 },
    });
  });

  test("retention by whole days since exposure", async () => {
    const { metric } = await analysed();
    // u1 day 7 and u2 day 14 are retained; u3 (day 6) is not; u8's app_open at exactly 15d is outside the window.
    assert.deepEqual(metric("ret").variants, { control: mean(3, 2, 2), treatment: mean(3, 0, 0) });
  });

  test("mean metrics leave out units without events", async () => {
    const { metric } = await analysed();
    // control: u1 mean(10, 5) = 7.5, u2 20; treatment: u3 mean(30, 40) = 35, u6 50.
    assert.deepEqual(metric("avg_rev").variants, { control: mean(2, 27.5, 7.5 ** 2 + 20 ** 2), treatment: mean(2, 85, 35 ** 2 + 50 ** 2) });
  });

  test("hours since exposure, max and count_distinct", async () => {
    const { metric } = await analysed();
    // page_loads 1 h after exposure count (floor of hours ≤ 1), 2 h does not: u1 1, u2 1 (of 2), u3 1, u4 3.
    assert.deepEqual(metric("early_loads").variants, { control: mean(3, 2, 2), treatment: mean(3, 4, 1 + 9) });
    // max per unit, units without purchases left out: u1 10, u2 20; u3 40, u6 50.
    assert.deepEqual(metric("max_rev").variants, { control: mean(2, 30, 500), treatment: mean(2, 90, 1600 + 2500) });
    // distinct currencies in the window: u1 {USD, EUR}, u2 {USD}, u8 none; u3 {USD}, u4 none, u6 {USD}.
    assert.deepEqual(metric("currencies").variants, { control: mean(3, 3, 5), treatment: mean(3, 2, 2) });
  });

  test("CUPED covariate over the pre-period lookback", async () => {
    const { metric } = await analysed();
    const m = metric("revenue_cuped");
    assert.equal(m.shape, "cuped");
    assert.equal(m.covariate?.lookbackSeconds, 14 * 86400);
    // X: u1 7 (1 s before exposure), u3 8 (2 days before; the one 20 days before is outside 14d); others 0.
    assert.deepEqual(m.covariate?.variants, {
      control: { kind: "cuped", n: 3, sumY: 35, sumY2: 625, sumX: 7, sumX2: 49, sumXY: 7 * 15 },
      treatment: { kind: "cuped", n: 3, sumY: 120, sumY2: 7400, sumX: 8, sumX2: 64, sumXY: 8 * 70 },
    });
    assert.deepEqual(m.variants["control"], mean(3, 35, 625));
  });

  test("ratio CUPED: the pre-period numerator and denominator with every cross product", async () => {
    const { metric } = await analysed();
    const m = metric("ctr_cuped");
    assert.equal(m.shape, "ratio_cuped");
    assert.equal(m.covariate?.lookbackSeconds, 14 * 86400);
    // control: u2 (1/1 in the window) had 1 impression 1 h before exposure; u1, u8 nothing.
    // treatment: u4 (1/2 in the window) had 1 qualifying click over 2 impressions 2 days before; the impression 15 days before is out.
    assert.deepEqual(m.covariate?.variants, {
      control: {
        kind: "ratio_cuped",
        n: 3,
        sumNum: 1,
        sumDen: 1,
        sumNum2: 1,
        sumDen2: 1,
        sumNumDen: 1,
        sumPreNum: 0,
        sumPreDen: 1,
        sumPreNum2: 0,
        sumPreDen2: 1,
        sumPreNumPreDen: 0,
        sumNumPreNum: 0,
        sumNumPreDen: 1,
        sumDenPreNum: 0,
        sumDenPreDen: 1,
      },
      treatment: {
        kind: "ratio_cuped",
        n: 3,
        sumNum: 1,
        sumDen: 2,
        sumNum2: 1,
        sumDen2: 4,
        sumNumDen: 2,
        sumPreNum: 1,
        sumPreDen: 2,
        sumPreNum2: 1,
        sumPreDen2: 4,
        sumPreNumPreDen: 2,
        sumNumPreNum: 1,
        sumNumPreDen: 2,
        sumDenPreNum: 2,
        sumDenPreDen: 4,
      },
    });
    // The in-window part alone is the plain ratio, unchanged by the covariate.
    assert.deepEqual(m.variants["treatment"], { kind: "ratio", n: 3, sumNum: 1, sumDen: 2, sumNum2: 1, sumDen2: 4, sumNumDen: 2 });
  });

  test("quantile order statistics", async () => {
    const { metric } = await analysed();
    // value: linear interpolation at position 1 + (n−1)·q; bounds: ranks ceil(n·q ∓ 1.959964·√(n·q·(1−q))) clamped to [1, n].
    // control [100, 200, 300]: position 2 → 200; ranks ceil(1.5 ∓ 1.697) = 0 → 1 and 4 → 3.
    // treatment [10, 50, 70, 90]: position 2.5 → 50 + 0.5·(70 − 50) = 60; ranks ceil(2 ∓ 1.96) = 1 and 4.
    // Per unit, its events and those at or below the arm's value: control u1 {300} → (1, 0), u2 {100, 200} → (2, 2);
    // treatment u3 {50} → (1, 1), u4 {70, 90, 10} → (3, 1). Summed: units, Σbelow, Σbelow², Σevents², Σbelow·events.
    assert.deepEqual(metric("p50_latency").variants, {
      control: {
        kind: "quantile",
        n: 3,
        quantile: 0.5,
        value: 200,
        lower: 100,
        upper: 300,
        clusters: { units: 2, sumBelow: 2, sumBelow2: 4, sumEvents2: 5, sumBelowEvents: 4 },
      },
      treatment: {
        kind: "quantile",
        n: 4,
        quantile: 0.5,
        value: 60,
        lower: 10,
        upper: 90,
        clusters: { units: 2, sumBelow: 2, sumBelow2: 2, sumEvents2: 10, sumBelowEvents: 4 },
      },
    });
  });

  test("as-of drops later exposures and events", async () => {
    const { result, metric } = await analysed("2026-12-06T00:00:00Z");
    // u6 (exposed at +10d) is gone; the day-7 and day-14 app_opens are in the future; the last exposure is u1's second at +5h.
    assert.deepEqual(result.units, { control: 3, treatment: 2 });
    assert.equal(result.dataWindow.end, "2026-12-01T05:00:00.000Z");
    assert.deepEqual(metric("conv").variants["treatment"], mean(2, 1, 1));
    assert.deepEqual(metric("revenue").variants["treatment"], mean(2, 70, 4900));
    assert.deepEqual(metric("ret").variants["control"], mean(3, 0, 0));
  });
}
