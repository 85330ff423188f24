import { test } from "node:test";
import assert from "node:assert/strict";
import { cumulativeLiftChart } from "../../src/report/charts/over-time.js";
import { fittedDomain, liftWindow, MIN_UNITS_PER_ARM } from "../../src/report/charts/lift-window.js";
import type { DailyPoint } from "../../src/report/model.js";

const at = (day: number, control: number, treatment: number, lift: number | null, half: number): DailyPoint => ({
  asOf: `2026-12-${String(day).padStart(2, "0")}T00:00:00Z`,
  units: { control, treatment },
  lift: {
    treatment:
      lift === null
        ? { code: "ZERO_CONTROL_MEAN", rel_lift: null, rel_ci: [null, null] }
        : { code: "OK", rel_lift: lift, rel_ci: [lift - half, lift + half] },
  },
});

test("analyses with fewer than the minimum units in either arm, or without a lift, are left out and counted", () => {
  const w = liftWindow(
    [
      at(1, MIN_UNITS_PER_ARM - 1, 5000, 0.5, 2),
      at(2, 5000, MIN_UNITS_PER_ARM - 1, 0.5, 2),
      at(3, MIN_UNITS_PER_ARM, MIN_UNITS_PER_ARM, null, 0),
      at(4, 6000, 6000, 0.04, 0.02),
    ],
    "control",
  );
  assert.equal(w.tooFewUnits, 2);
  assert.equal(w.noLift, 1);
  assert.deepEqual(
    w.points.map((p) => p.date),
    ["2026-12-04"],
  );
});

test("the y-range fits 0 and the precise intervals; a wide early interval is cut and both cuts are marked", () => {
  const w = liftWindow([at(1, 200, 200, 0.3, 0.6), at(2, 2000, 2000, 0.1, 0.09), at(3, 8000, 8000, 0.06, 0.045)], "control");
  // Narrowest width 0.09; 3× is 0.27, so day 2 (0.18) counts and day 1 (1.2) does not. Hull [0, 0.19],
  // padded by 5% of 0.19 to [-0.0095, 0.1995], on a step of 0.05 (0.2085 / 5 rounded up to 1, 2, 2.5 or 5).
  assert.deepEqual(w.domain, [-0.05, 0.2]);
  assert.deepEqual(w.cuts, [
    { date: "2026-12-01", variant: "treatment", y: 0.2, edge: "above" },
    { date: "2026-12-01", variant: "treatment", y: -0.05, edge: "below" },
  ]);
});

test("the y-range always shows 0, and falls back to ±10% with nothing to draw", () => {
  assert.deepEqual(fittedDomain([]), [-0.1, 0.1]);
  const [lo, hi] = fittedDomain([{ date: "2026-12-01", variant: "t", lift: -0.3, lo: -0.35, hi: -0.25 }]);
  assert.ok(lo <= -0.35 && hi >= 0, `[${lo}, ${hi}] holds the interval and 0`);
});

test("the chart says in its subtitle what it left out and marks the cut intervals", async () => {
  const svg = await cumulativeLiftChart({
    daily: [at(1, 50, 50, 1, 3), at(2, 200, 200, 0.3, 0.6), at(3, 8000, 8000, 0.06, 0.045), at(4, 9000, 9000, null, 0)],
    metric: "activation",
    alpha: 0.05,
    control: "control",
  });
  assert.match(
    svg,
    /Not drawn: 1 early analysis with fewer than 100 units per arm; 1 analysis without a relative lift \(e\.g\. a zero control mean\)\./,
  );
  assert.match(svg, /▲ ▼ mark intervals cut at the chart's edge/);
  assert.match(svg, /aria-label="analysis date \(UTC\): Dec 02; y: [^;]+; variant: treatment; edge: above"/);
  assert.match(svg, /aria-label="analysis date \(UTC\): Dec 02; y: [^;]+; variant: treatment; edge: below"/);
  assert.doesNotMatch(svg, /Dec 01/, "the analysis with 50 units per arm is not drawn");
  const none = await cumulativeLiftChart({ daily: [at(1, 50, 50, 1, 3)], metric: "activation", alpha: 0.05, control: "control" });
  assert.match(none, /No analysis over time has a relative lift with at least 100 units per arm yet\./);
});
