// The report's Dimensions and Fairness sections in headless Chromium: a report whose analysis breaks
// checkout_redesign down by platform (Android's lift planted far above the others) and carries a
// fairness guardrail on age_band (the 55+ group harmed); the slices chart must load, and
// EXP_UPDATE_SCREENSHOT=1 writes docs/report-slices.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { marked } from "marked";
import { buildReport } from "../../../src/report/build.js";
import { dumpDom, screenshot } from "../../helpers/chromium.js";
import { page } from "../../helpers/report-page.js";
import { sampleReportInput } from "../../report/sample.js";
import { breakdowns } from "../../report/breakdown-sample.js";

const template = readFileSync(new URL("../../../templates/report/report.md", import.meta.url), "utf8");

test("the report's dimensions and fairness sections render, with the slices chart loaded, in headless Chromium", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-report-slices-"));
  const input = sampleReportInput();
  input.analysis = { ...input.analysis, ...breakdowns() };
  const report = await buildReport(input, template);
  for (const f of report.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  const markdown = report.files[0]!.content;
  assert.match(markdown, /### Dimensions/);
  assert.match(markdown, /### Fairness/);
  assert.ok(report.files.some((f) => f.path.endsWith("-slices.svg")));
  // Only the sections under test, so the screenshot shows them.
  const sections = markdown.slice(markdown.indexOf("### Dimensions"), markdown.indexOf("## Guardrails"));
  const file = join(dir, dirname(report.markdownPath), "slices.html");
  writeFileSync(file, page(await marked.parse(sections), false));
  const dom = dumpDom(`file://${file}`);
  const m = /<pre id="image-check">(.*?)<\/pre>/s.exec(dom);
  assert.ok(m, "the page script ran");
  const images = JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as { src: string; ok: boolean }[];
  assert.deepEqual(
    images.map((i) => [i.src, i.ok]),
    [["./2026-12-09-slices.svg", true]],
  );
  const png = join(dir, "slices.png");
  // Wide enough for the slice table's ten columns, which run past the page's 940-pixel body.
  screenshot(`file://${file}`, png, "1200,1800");
  assert.ok(statSync(png).size > 10_000, "the screenshot has content");
  if (process.env.EXP_UPDATE_SCREENSHOT) copyFileSync(png, new URL("../../../docs/report-slices.png", import.meta.url));
});
