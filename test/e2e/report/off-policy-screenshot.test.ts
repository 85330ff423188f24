// The report of an experiment with an off-policy evaluation beside it, rendered like GitHub and
// photographed in headless Chromium. EXP_UPDATE_SCREENSHOT=1 writes docs/report-off-policy.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { marked } from "marked";
import { buildReport } from "../../../src/report/build.js";
import { dumpDom, screenshot } from "../../helpers/chromium.js";
import { page } from "../../helpers/report-page.js";
import { sampleEvaluation } from "../../report/off-policy-sample.js";
import { sampleReportInput } from "../../report/sample.js";

const template = readFileSync(new URL("../../../templates/report/report.md", import.meta.url), "utf8");

test("the off-policy section renders in headless Chromium: the estimators' table, the warning and the online comparison", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-report-off-policy-"));
  const input = sampleReportInput();
  input.analysis = { ...input.analysis, off_policy: [sampleEvaluation({ rel_lift: 0.1, rel_ci: [0.02, 0.18] })] };
  const report = await buildReport(input, template);
  for (const f of report.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  const file = join(dir, dirname(report.markdownPath), "light.html");
  writeFileSync(file, page(await marked.parse(report.files[0]!.content), false));
  const dom = dumpDom(`file://${file}`);
  assert.match(dom, /<h3[^>]*>Off-policy evaluation<\/h3>/);
  assert.match(dom, /<td>doubly robust<\/td>/);
  assert.match(dom, /Both point the same way\./);
  const png = join(dir, "off-policy.png");
  screenshot(`file://${file}`, png, "1000,3200");
  assert.ok(statSync(png).size > 10_000, "the screenshot has content");
  if (process.env.EXP_UPDATE_SCREENSHOT) copyFileSync(png, new URL("../../../docs/report-off-policy.png", import.meta.url));
});
