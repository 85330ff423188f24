import { test } from "node:test";
import assert from "node:assert/strict";
import { plain } from "../../src/diagnostics/style.js";
import { renderWritten, type WrittenReport } from "../../src/cli/report.js";
import { sampleReportInput } from "./sample.js";

function written(): WrittenReport[] {
  const input = sampleReportInput();
  const files = [
    "reports/checkout_redesign/2026-12-09.md",
    "reports/checkout_redesign/2026-12-09-lift.svg",
    "reports/checkout_redesign/2026-12-09.json",
  ];
  const analysis = { ...input.analysis, phase_start: input.analysis.phase_start! };
  return [{ experiment: "checkout_redesign", markdownPath: files[0]!, files, analysis, input, markdown: "# report\n" }];
}

test("exp report prints by --format: paths when piped by default, the text view, markdown, or JSON", () => {
  const w = written();
  assert.equal(renderWritten(w, "paths", plain), "reports/checkout_redesign/2026-12-09.md\n");
  const text = renderWritten(w, "text", plain);
  assert.match(text, /^One-page checkout \(checkout_redesign\) — report of 2026-12-09$/m);
  assert.match(text, /^Decision: ship$/m);
  assert.match(text, /\nwrote reports\/checkout_redesign\/2026-12-09\.md and 2 more files\n$/);
  assert.equal(renderWritten(w, "markdown", plain), "# report\n");
  assert.deepEqual(JSON.parse(renderWritten(w, "json", plain)), {
    reports: [{ experiment: "checkout_redesign", markdown: "reports/checkout_redesign/2026-12-09.md", files: w[0]!.files }],
  });
});
