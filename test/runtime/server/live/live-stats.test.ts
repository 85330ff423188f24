import assert from "node:assert/strict";
import { test } from "node:test";
import type { LiveDefinitions, LiveExperiment, LiveMetric } from "../../../../src/runtime/server/live/definitions.js";
import { LiveStats } from "../../../../src/runtime/server/live/live-stats.js";
import type { EventRecord, ExposureRecord } from "../../../../src/runtime/server/records.js";

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-01T00:00:00.000Z");

function metric(
  key: string,
  rest: Omit<Extract<LiveMetric, { windowMs: number }>, "design" | "windowMs">,
  windowMs = 14 * DAY,
): LiveMetric {
  return { design: { metric: key, tier: "primary", kind: "mean", cuped: false }, windowMs, ...rest };
}

const conversion = metric("purchased", {
  aggregates: [{ fn: "any", event: "purchase" }],
  value: { shape: "mean", y: { op: "agg", index: 0 } },
});
const revenue = metric("revenue", {
  aggregates: [{ fn: "sum", event: "purchase", property: "revenue" }],
  value: { shape: "mean", y: { op: "agg", index: 0 } },
});
const bigOrders = metric("big_orders", {
  aggregates: [
    {
      fn: "count",
      event: "purchase",
      where: {
        op: ">",
        as: "value",
        args: [
          { op: "attr", name: "revenue" },
          { op: "lit", value: 100 },
        ],
      },
    },
  ],
  value: { shape: "mean", y: { op: "agg", index: 0 } },
});
const meanOrder = metric("mean_order", {
  aggregates: [{ fn: "mean", event: "purchase", property: "revenue" }],
  value: { shape: "mean", y: { op: "agg", index: 0 } },
});
const ctr = metric("ctr", {
  aggregates: [
    { fn: "count", event: "click" },
    { fn: "count", event: "impression" },
  ],
  value: { shape: "ratio", num: { op: "agg", index: 0 }, den: { op: "agg", index: 1 } },
});
const shortWindow = metric(
  "early_purchases",
  { aggregates: [{ fn: "count", event: "purchase" }], value: { shape: "mean", y: { op: "agg", index: 0 } } },
  DAY,
);

function definitions(metrics: LiveMetric[], extra: Partial<LiveExperiment> = {}): LiveDefinitions {
  return {
    srmThreshold: 0.001,
    experiments: { exp: { control: "control", alpha: 0.05, correction: "none", sessionUnit: false, excludedUnits: [], metrics, ...extra } },
  };
}

function exposure(unit: string, variant: string, at: number, phase = 1): ExposureRecord {
  return { id: `${unit}/${phase}`, unit_id: unit, experiment: "exp", phase, variant, ts: new Date(at).toISOString(), metadata: null };
}

function event(unit: string, name: string, at: number, properties: Record<string, unknown> | null = null): EventRecord {
  return {
    id: `${unit}/${name}/${at}`,
    unit_id: unit,
    session_id: null,
    event: name,
    ts: new Date(at).toISOString(),
    value: null,
    properties,
  };
}

/** Σ over the units' values, as the warehouse would compute them. */
function meanStats(values: number[]): { kind: "mean"; n: number; sum: number; sumSq: number } {
  return { kind: "mean", n: values.length, sum: values.reduce((a, b) => a + b, 0), sumSq: values.reduce((a, b) => a + b * b, 0) };
}

test("exposures count units per variant from their first exposure; an event counts in its window for the unit's variant", () => {
  const live = new LiveStats(definitions([conversion, revenue, bigOrders, meanOrder, shortWindow]));
  live.exposures([
    exposure("a", "control", T0),
    exposure("b", "control", T0),
    exposure("c", "treatment", T0),
    exposure("a", "control", T0 + 5),
  ]);
  live.events([
    event("a", "purchase", T0 + DAY / 2, { revenue: 50 }),
    event("a", "purchase", T0 + 2 * DAY, { revenue: 150 }),
    event("c", "purchase", T0 + DAY, { revenue: 120 }),
    // Before its first exposure, past the window, and a unit never exposed: none counts.
    event("b", "purchase", T0 - 1, { revenue: 999 }),
    event("b", "purchase", T0 + 14 * DAY, { revenue: 999 }),
    event("z", "purchase", T0 + DAY, { revenue: 999 }),
    // An event no metric reads.
    event("a", "page_view", T0 + DAY),
  ]);
  const p = live.phase("exp", 1)!;
  const control = p.variants.get("control")!;
  const treatment = p.variants.get("treatment")!;
  assert.equal(control.units, 2);
  assert.equal(treatment.units, 1);
  assert.deepEqual(control.stats(0, false), meanStats([1, 0]));
  assert.deepEqual(treatment.stats(0, false), meanStats([1]));
  assert.deepEqual(control.stats(1, false), meanStats([200, 0]));
  assert.deepEqual(control.stats(2, false), meanStats([1, 0]), "only the order above 100 passes the filter");
  // A mean leaves units without events out of n, as SQL's AVG does.
  assert.deepEqual(control.stats(3, false), meanStats([100]));
  assert.deepEqual(treatment.stats(3, false), meanStats([120]));
  // A one-day window counts a's first purchase only.
  assert.deepEqual(control.stats(4, false), meanStats([1, 0]));
});

test("a unit exposed to a second variant leaves the analysis with everything it contributed", () => {
  const live = new LiveStats(definitions([revenue]));
  live.exposures([exposure("a", "control", T0), exposure("b", "control", T0)]);
  live.events([event("a", "purchase", T0 + 1, { revenue: 30 })]);
  live.exposures([exposure("a", "treatment", T0 + 2)]);
  live.events([event("a", "purchase", T0 + 3, { revenue: 30 })]);
  const p = live.phase("exp", 1)!;
  assert.equal(p.variants.get("control")!.units, 1);
  assert.equal(p.variants.get("treatment"), undefined, "the unit never counted for treatment");
  assert.equal(p.multipleExposures, 1);
  assert.deepEqual(p.variants.get("control")!.stats(0, false), meanStats([0]));
});

test("a ratio metric keeps the per-unit numerator and denominator sums and their cross product", () => {
  const live = new LiveStats(definitions([ctr]));
  live.exposures([exposure("a", "control", T0), exposure("b", "control", T0)]);
  live.events([
    event("a", "impression", T0 + 1),
    event("a", "impression", T0 + 2),
    event("a", "click", T0 + 3),
    event("b", "impression", T0 + 4),
    event("b", "impression", T0 + 5),
    event("b", "impression", T0 + 6),
  ]);
  assert.deepEqual(live.phase("exp", 1)!.variants.get("control")!.stats(0, true), {
    kind: "ratio",
    n: 2,
    sumNum: 1,
    sumDen: 5,
    sumNum2: 1,
    sumDen2: 4 + 9,
    sumNumDen: 2,
  });
});

test("phases are kept apart, QA override units are left out, and an experiment without a definition still counts units", () => {
  const live = new LiveStats(definitions([conversion], { excludedUnits: ["qa"] }));
  live.exposures([exposure("a", "control", T0, 1), exposure("a", "treatment", T0, 2), exposure("qa", "treatment", T0, 2)]);
  live.exposures([{ ...exposure("x", "on", T0), experiment: "other" }]);
  assert.equal(live.phase("exp", 1)!.variants.get("control")!.units, 1);
  assert.equal(live.phase("exp", 2)!.variants.get("treatment")!.units, 1);
  assert.equal(live.phase("exp", 2)!.multipleExposures, 0);
  assert.equal(live.phase("other", 1)!.variants.get("on")!.units, 1);
  assert.equal(live.definition("other"), undefined);
});

test("a session experiment counts sessions, and events by their session id", () => {
  const live = new LiveStats(definitions([conversion], { sessionUnit: true }));
  live.exposures([
    { ...exposure("user1", "control", T0), session_id: "s1" },
    { ...exposure("user1", "treatment", T0), id: "2", session_id: "s2" },
  ]);
  live.events([{ ...event("user1", "purchase", T0 + 1), session_id: "s2" }]);
  const p = live.phase("exp", 1)!;
  assert.deepEqual(p.variants.get("control")!.stats(0, false), meanStats([0]));
  assert.deepEqual(p.variants.get("treatment")!.stats(0, false), meanStats([1]));
});
