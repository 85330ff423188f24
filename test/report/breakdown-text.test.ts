import assert from "node:assert/strict";
import { test } from "node:test";
import { renderReportText } from "../../src/report/text.js";
import { breakdowns } from "./breakdown-sample.js";
import { sampleReportInput } from "./sample.js";

test("the terminal report names the heterogeneity across slices and the breached fairness group", () => {
  const input = sampleReportInput();
  input.analysis = { ...input.analysis, ...breakdowns() };
  const text = renderReportText(input, (_token, s) => s);
  assert.match(
    text,
    /Dimensions\n {2}! platform · purchase_conversion · one_page: Cochran's Q 37\.77 over 3 slices, p <0\.0001, I² 95%: the effect differs between slices/,
  );
  assert.match(text, /Fairness\n {2}age_band, max disparity 10\.00%: breached/);
  assert.match(
    text,
    /! purchase_conversion · one_page · 55\+: lift -25\.00% against \+25\.00% for the other groups \(disparity -50\.00%, -60\.02% to -39\.98%\): breached/,
  );
  assert.doesNotMatch(
    renderReportText(sampleReportInput(), (_token, s) => s),
    /Dimensions|Fairness/,
  );
});
