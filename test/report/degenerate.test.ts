import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { plain } from "../../src/diagnostics/style.js";
import { buildReport } from "../../src/report/build.js";
import type { ReportInput } from "../../src/report/model.js";
import { renderReportText } from "../../src/report/text.js";
import { analyzeStats } from "../../src/stats/experiment.js";
import type { MeanStats } from "../../src/stats/types.js";

const template = readFileSync(new URL("../../templates/report/report.md", import.meta.url), "utf8");

const mean = (n: number, sum: number, sumSq: number): MeanStats => ({ kind: "mean", n, sum, sumSq });

/**
 * A real engine result with the data problems a report must survive: arm "empty" got no units,
 * every unit has the same `logged_in` value (zero variance), and nobody in control had an error
 * (a zero control mean). The engine turns these into result codes and null numbers.
 */
function degenerateInput(): ReportInput {
  const analysis = analyzeStats({
    experiment: "onboarding",
    phase: 1,
    method: "fixed",
    alpha: 0.05,
    correction: "bh",
    srmThreshold: 0.001,
    control: "control",
    variants: [
      { key: "control", weight: 1 },
      { key: "treatment", weight: 1 },
      { key: "empty", weight: 1 },
    ],
    metrics: [
      { metric: "activation", tier: "primary", kind: "conversion" },
      { metric: "logged_in", tier: "secondary", kind: "conversion" },
      { metric: "errors", tier: "guardrail", kind: "count", direction: "decrease", maxRegression: 0.02 },
    ],
    units: { control: 500, treatment: 510, empty: 0 },
    multipleExposures: 0,
    stats: {
      activation: { control: mean(500, 60, 60), treatment: mean(510, 85, 85) },
      logged_in: { control: mean(500, 500, 500), treatment: mean(510, 510, 510) },
      errors: { control: mean(500, 0, 0), treatment: mean(510, 7, 9) },
    },
  });
  return {
    analysis: {
      ...analysis,
      provenance: {
        sourceCommit: null,
        definitionsSha256: "cc".repeat(32),
        sqlSha256: "dd".repeat(32),
        engine: "exp 0.1.0",
        dataWindow: { start: null, end: null },
      },
      power: { mde: 0.05, achieved_mde: null },
    },
    experiment: { key: "onboarding", schedule: {}, control: "control", weights: { control: 1, treatment: 1, empty: 1 } },
    metrics: { activation: { format: "percent", direction: "increase" } },
    date: "2026-12-01",
    asOf: "2026-12-01T00:00:00.000Z",
    connection: "local",
    daily: [
      {
        asOf: "2026-11-29T00:00:00Z",
        units: { control: 250, treatment: 255, empty: 0 },
        lift: {
          treatment: { code: "ZERO_CONTROL_MEAN", rel_lift: null, rel_ci: [null, null] },
          empty: { code: "EMPTY_ARM", rel_lift: null, rel_ci: [null, null] },
        },
      },
      {
        asOf: "2026-12-01T00:00:00Z",
        units: { control: 500, treatment: 510, empty: 0 },
        lift: {
          treatment: { code: "OK", rel_lift: 0.39, rel_ci: [0.03, 0.75] },
          empty: { code: "EMPTY_ARM", rel_lift: null, rel_ci: [null, null] },
        },
      },
    ],
  };
}

const LEAKS = /NaN|null|undefined|Infinity/;

test("the engine's result codes are what this test means to exercise", () => {
  const a = degenerateInput().analysis;
  const codes = a.metrics.flatMap((m) => m.comparisons.map((c) => `${m.metric}/${c.variant}:${c.code}`));
  assert.deepEqual(codes, [
    "activation/treatment:OK",
    "activation/empty:EMPTY_ARM",
    "logged_in/treatment:ZERO_VARIANCE",
    "logged_in/empty:EMPTY_ARM",
    "errors/treatment:ZERO_CONTROL_MEAN",
    "errors/empty:EMPTY_ARM",
  ]);
  assert.equal(a.srm.ok, false, "an empty arm with a positive weight is a sample-ratio mismatch");
});

test("a report of an experiment with an empty arm and a zero-variance metric shows — with a reason, never NaN", async () => {
  const report = await buildReport(degenerateInput(), template);
  const md = report.files[0]!.content;
  for (const f of report.files) assert.doesNotMatch(f.content, LEAKS, f.path);
  assert.match(md, /\| `activation` \| empty \| 12\.00% \| — \| — \| — \| ⚠️ no result \|/);
  assert.match(md, /\| `logged_in` \| treatment \| 1 \| 1 \| — \| — \| ⚠️ no result \|/);
  assert.match(md, /- ⚠️ `activation` · empty: no units in "empty", so there is nothing to compare\./);
  assert.match(md, /- ⚠️ `logged_in` · treatment: every unit has the same value in both arms \(zero variance\)/);
  // A zero control mean has no relative lift, but its absolute difference is still judged.
  assert.match(md, /\| `errors` \| treatment \| 0 \| 0\.0137 \| — \| 0\.0\d{3} \| [^|]+ \|/);
  assert.match(md, /- ⚠️ `errors` · treatment: the control mean is 0, so there is no relative lift\.$/m);
  assert.match(md, /`errors` for empty: not evaluated — no units in "empty"/);
  assert.match(md, /the achievable MDE could not be computed yet/);
  assert.match(md, /source commit `unknown`/);
  const forest = report.files[1]!.content;
  assert.match(
    forest,
    /not drawn \(no relative lift, see the tables\): activation · empty, logged_in · treatment, logged_in · empty, errors · treatment, errors · empty/,
  );
  const cumulative = report.files[2]!.content;
  assert.match(cumulative, /Not drawn: 2 early analyses with fewer than 100 units per arm/);
});

test("the terminal view of the same analysis shows — and the reasons, and the decision", () => {
  const text = renderReportText(degenerateInput(), plain);
  assert.doesNotMatch(text, LEAKS);
  assert.doesNotMatch(text, /\x1b\[/, "a plain painter gives no colour codes");
  assert.match(text, /^ {2}activation +empty +12\.00% +— +— +— +— +no result$/m);
  assert.match(text, /^ {2}! logged_in · treatment: every unit has the same value in both arms/m);
  assert.match(text, /sample ratio: p < 0\.0001, below 0\.001: mismatch/);
  assert.match(text, /^Decision: investigate$/m);
});
