import assert from "node:assert/strict";
import { test } from "node:test";
import { resolve } from "node:path";
import { liveDefinitions } from "../../../../src/app/live-definitions.js";
import { isAvailable, type LiveMetricPlan } from "../../../../src/runtime/server/live/definitions.js";
import { loadWorkspace } from "../../../../src/workspace/load.js";

test("the example workspace's metrics become per-unit aggregates, and what cannot be kept live says why", async () => {
  const { value: ws } = await loadWorkspace(resolve("."));
  const defs = liveDefinitions(ws!);
  assert.equal(defs.srmThreshold, ws!.settings.defaults.srm_threshold);
  const e = defs.experiments.checkout_redesign!;
  assert.equal(e.control, "control");
  assert.deepEqual(
    e.metrics.map((m) => [m.design.metric, m.design.tier, isAvailable(m)]),
    [
      ["purchase_conversion", "primary", true],
      ["revenue_per_user", "secondary", true],
      ["avg_order_value", "secondary", true],
      ["checkout_errors", "guardrail", true],
      ["p95_page_load", "guardrail", false],
    ],
  );
  assert.ok(
    e.metrics.every((m) => m.design.cuped === false),
    "live statistics have no pre-period",
  );
  const revenue = e.metrics[1] as LiveMetricPlan;
  assert.deepEqual(revenue.aggregates, [{ fn: "sum", event: "purchase", property: "revenue" }]);
  assert.equal(revenue.windowMs, 14 * 86_400_000);
  assert.equal(e.metrics[3]!.design.maxRegression, 0.02);
  assert.match((e.metrics[4] as { unavailable: string }).unavailable, /quantile/);
  // A filter becomes a runtime condition over the event's properties.
  const ctr = defs.experiments.search_ranker_v2!.metrics.find((m) => m.design.metric === "top5_ctr")!;
  assert.ok(isAvailable(ctr));
  assert.equal(ctr.value.shape, "ratio");
  assert.deepEqual(ctr.aggregates[0]!.where, {
    op: "<=",
    as: "value",
    args: [
      { op: "attr", name: "position" },
      { op: "lit", value: 5 },
    ],
  });
});
