// The lift chart judges each comparison in its metric's direction (a breached guardrail is red, not a calm
// dot), draws a guardrail's margin, and keeps each tier's colour whatever tiers a report has.
import { test } from "node:test";
import assert from "node:assert/strict";
import { forestPlot, forestSpec, OUTCOME_COLOURS, TIER_COLOURS } from "../../src/report/charts/forest.js";
import type { ReportAnalysis } from "../../src/report/model.js";
import { sampleReportInput } from "./sample.js";

type Row = { label: string; tier: string; outcome: string; margin: number | null };
type Layer = { data?: { values: Row[] }; mark: { type: string; color?: string }; encoding: Record<string, { scale?: unknown }> };
const rows = (a: ReportAnalysis) => (forestSpec(a) as { data: { values: Row[] } }).data.values;
const layers = (a: ReportAnalysis) => (forestSpec(a) as { layer: Layer[] }).layer;

/** The sample with its latency-like guardrail (lower is better) significantly up and breached. */
function breached(): ReportAnalysis {
  const a = sampleReportInput().analysis;
  const errors = a.metrics.find((m) => m.metric === "checkout_errors")!;
  errors.comparisons[0] = { ...errors.comparisons[0]!, rel_lift: 0.05, rel_ci: [0.02, 0.08], diff: 0.001, significant: true };
  a.guardrails[0] = { ...a.guardrails[0]!, passed: false, breached: true };
  a.guardrails[0]!.variants[0] = { ...a.guardrails[0]!.variants[0]!, status: "breached" };
  return a;
}

test("the dot is the outcome in the metric's direction: a breached guardrail that rose is worse", () => {
  const byLabel = Object.fromEntries(rows(breached()).map((r) => [r.label, r]));
  assert.equal(byLabel["purchase_conversion · one_page"]!.outcome, "better");
  assert.equal(byLabel["revenue_per_user · one_page"]!.outcome, "no clear difference");
  assert.equal(byLabel["checkout_errors · one_page"]!.outcome, "worse");
  const dots = layers(breached()).find((l) => l.mark.type === "point")!;
  assert.deepEqual(dots.encoding.fill!.scale, { domain: Object.keys(OUTCOME_COLOURS), range: Object.values(OUTCOME_COLOURS) });
  assert.equal(OUTCOME_COLOURS.worse, "#cf222e");
});

test("a lower-is-better primary that dropped significantly is better, not worse", () => {
  const a = sampleReportInput().analysis;
  const m = a.metrics.find((x) => x.metric === "purchase_conversion")!;
  m.direction = "decrease";
  m.comparisons[0] = { ...m.comparisons[0]!, diff: -0.003, rel_lift: -0.06, rel_ci: [-0.1, -0.02] };
  assert.equal(rows(a).find((r) => r.label === "purchase_conversion · one_page")!.outcome, "better");
});

test("a guardrail's margin is drawn on its harmful side", async () => {
  const a = breached();
  assert.equal(rows(a).find((r) => r.label === "checkout_errors · one_page")!.margin, 0.01, "decrease: harm is a rise");
  assert.equal(rows(a).find((r) => r.label === "purchase_conversion · one_page")!.margin, null);
  const ticks = layers(a).find((l) => l.mark.type === "tick")!;
  assert.deepEqual(
    ticks.data!.values.map((r) => r.label),
    ["checkout_errors · one_page"],
  );
  assert.equal(ticks.mark.color, OUTCOME_COLOURS.worse);
  assert.match(await forestPlot(a), /Red tick: a guardrail's non-inferiority margin on its harmful side\./);
});

test("tier colours are fixed: a report with guardrails only keeps the guardrail colour", () => {
  const a = breached();
  a.metrics = a.metrics.filter((m) => m.tier === "guardrail");
  const lines = layers(a).find((l) => l.mark.type === "rule" && l.encoding.color)!;
  assert.deepEqual(lines.encoding.color!.scale, { domain: ["primary", "secondary", "guardrail"], range: Object.values(TIER_COLOURS) });
  for (const colour of Object.values(TIER_COLOURS)) assert.ok(!Object.values(OUTCOME_COLOURS).includes(colour as never));
});

test("in the rendered SVG a breached guardrail's dot is red and its margin is a tick (it was a green dot and no margin)", async () => {
  const svg = await forestPlot(breached());
  const mark = (kind: string) =>
    [...svg.matchAll(/<path aria-label="([^"]*)"[^>]*aria-roledescription="(\w+)"[^>]*fill="(#[0-9a-f]{6})"/g)]
      .filter((m) => m[2] === kind && m[1]!.includes("label: checkout_errors · one_page"))
      .map((m) => ({ label: m[1], fill: m[3] }));
  // #cf222e is OUTCOME_COLOURS.worse (pinned above), the colour of harm whatever the tier.
  assert.deepEqual(
    mark("point").map((p) => p.fill),
    ["#cf222e"],
    "the breached guardrail's dot",
  );
  assert.deepEqual(mark("tick"), [{ label: "margin: 0.01; label: checkout_errors · one_page", fill: "#cf222e" }]);
});
