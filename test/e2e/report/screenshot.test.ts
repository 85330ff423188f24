import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { marked } from "marked";
import { buildReport } from "../../../src/report/build.js";
import { dumpDom, screenshot } from "../../helpers/chromium.js";
import { page } from "../../helpers/report-page.js";
import { sampleReportInput } from "../../report/sample.js";

const template = readFileSync(new URL("../../../templates/report/report.md", import.meta.url), "utf8");

test("the rendered report loads every chart in headless Chromium (light and dark)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-report-"));
  const report = await buildReport(sampleReportInput(), template);
  for (const f of report.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  const html = await marked.parse(report.files[0]!.content);
  for (const dark of [false, true]) {
    const file = join(dir, dirname(report.markdownPath), dark ? "dark.html" : "light.html");
    writeFileSync(file, page(html, dark));
    const dom = dumpDom(`file://${file}`);
    const m = /<pre id="image-check">(.*?)<\/pre>/s.exec(dom);
    assert.ok(m, "the page script ran");
    const images = JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as { src: string; ok: boolean; w: number; h: number }[];
    assert.equal(images.length, 3, "three charts");
    for (const img of images) assert.ok(img.ok && img.w > 0 && img.h > 0, `image ${img.src} loaded with a size (${img.w}×${img.h})`);
    const png = join(dir, dark ? "dark.png" : "light.png");
    screenshot(`file://${file}`, png);
    assert.ok(statSync(png).size > 10_000, "the screenshot has content");
    if (process.env.EXP_UPDATE_SCREENSHOT)
      copyFileSync(png, new URL(`../../../docs/report-screenshot${dark ? "-dark" : ""}.png`, import.meta.url));
  }
});
