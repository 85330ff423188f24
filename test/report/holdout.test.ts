import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { plain } from "../../src/diagnostics/style.js";
import { renderReportMarkdown } from "../../src/report/markdown.js";
import type { ReportInput } from "../../src/report/model.js";
import { renderReportText } from "../../src/report/text.js";
import { sampleReportInput } from "./sample.js";

const template = readFileSync(new URL("../../templates/report/report.md", import.meta.url), "utf8");
const charts = { forest: "f.svg", cumulative: "c.svg", units: "u.svg" };

/** The sample report as if it were `exp analyze --holdout global_2026`: one_page stands for everyone else. */
function holdoutInput(): ReportInput {
  const input = sampleReportInput();
  input.analysis.holdout = {
    key: "global_2026",
    traffic: 0.02,
    population: { definition: "units with at least one event in [since, as_of)", since: null, as_of: "2026-12-14T00:00:00.000Z" },
    units: { holdout: 812, everyone_else: 39149 },
    metrics: ["purchase_conversion"],
  };
  return input;
}

test("a holdout's report says what was compared, reads the lift as what shipping did, and lists the caveats", () => {
  const md = renderReportMarkdown(holdoutInput(), template, charts);
  assert.match(md, /^### Holdout global_2026$/m);
  assert.match(
    md,
    /\*\*Units in holdout global_2026 \(2% of traffic, never enrolled in experiments or rollouts that honour holdouts\) vs everyone else: the cumulative effect of what shipped\.\*\*/,
  );
  assert.match(md, /^\| units in holdout global_2026 \| 812 \|$/m);
  assert.match(md, /^\| units in everyone else \| 39,149 \|$/m);
  assert.match(md, /^- what shipping did to purchase_conversion: \+6\.00% \(CI \+1\.00% to \+11\.00%, p = 0\.0040\)$/m);
  assert.match(md, /^- Units with no event in the window are not in the population/m);
  assert.match(md, /^- No CUPED/m);
  assert.match(md, /^- Fixed horizon/m);
});

test("a holdout's decision section says there is nothing to ship or roll back", () => {
  const input = holdoutInput();
  const md = renderReportMarkdown(input, template, charts);
  assert.match(md, /^## Decision: none: a holdout measures what shipped, there is nothing to ship or roll back$/m);
  assert.doesNotMatch(md, /🚀 ship/);
  const text = renderReportText(input, plain);
  assert.match(text, /^Decision: none: a holdout measures what shipped/m);
  assert.match(text, /^Holdout\n {2}Units in holdout global_2026 \(2% of traffic/m);
  assert.doesNotMatch(text, /^Decision: ship/m);
});

test("an experiment's report has no holdout section", () => {
  const md = renderReportMarkdown(sampleReportInput(), template, charts);
  assert.doesNotMatch(md, /Holdout|what shipping did/);
  assert.match(md, /^## Decision: 🚀 ship$/m);
});
