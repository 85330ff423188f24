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
import { sampleReportInput } from "../../report/sample.js";
import { breakdowns } from "../../report/breakdown-sample.js";

const template = readFileSync(new URL("../../../templates/report/report.md", import.meta.url), "utf8");

/** GitHub-like page around the rendered markdown; a script records whether each image loaded. */
function page(bodyHtml: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>report</title><style>
body{background:#ffffff;color:#1f2328;font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:940px;margin:24px auto;line-height:1.5}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #8c959f55;padding:4px 10px}code{background:#8c959f33;padding:1px 4px;border-radius:4px}
img{max-width:100%}</style></head><body>${bodyHtml}
<script>window.addEventListener("load",()=>{const r=[...document.images].map(i=>({src:i.getAttribute("src"),ok:i.complete&&i.naturalWidth>0&&i.naturalHeight>0}));
const pre=document.createElement("pre");pre.id="image-check";pre.textContent=JSON.stringify(r);document.body.appendChild(pre);});</script></body></html>`;
}

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
  writeFileSync(file, page(await marked.parse(sections)));
  const dom = dumpDom(`file://${file}`);
  const m = /<pre id="image-check">(.*?)<\/pre>/s.exec(dom);
  assert.ok(m, "the page script ran");
  const images = JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as { src: string; ok: boolean }[];
  assert.deepEqual(
    images.map((i) => [i.src, i.ok]),
    [["./2026-12-09-slices.svg", true]],
  );
  const png = join(dir, "slices.png");
  screenshot(`file://${file}`, png);
  assert.ok(statSync(png).size > 10_000, "the screenshot has content");
  if (process.env.EXP_UPDATE_SCREENSHOT) copyFileSync(png, new URL("../../../docs/report-slices.png", import.meta.url));
});
