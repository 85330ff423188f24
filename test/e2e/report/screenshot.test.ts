import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { marked } from "marked";
import { buildReport } from "../../../src/report/build.js";
import { dumpDom, screenshot } from "../../helpers/chromium.js";
import { sampleReportInput } from "../../report/sample.js";

const template = readFileSync(new URL("../../../templates/report/report.md", import.meta.url), "utf8");

/** GitHub-like page around the rendered markdown; a script records whether each image loaded. */
function page(bodyHtml: string, dark: boolean): string {
  const bg = dark ? "#0d1117" : "#ffffff";
  const fg = dark ? "#e6edf3" : "#1f2328";
  return `<!doctype html><html><head><meta charset="utf-8"><title>report</title><style>
body{background:${bg};color:${fg};font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:940px;margin:24px auto;line-height:1.5}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #8c959f55;padding:4px 10px}code{background:#8c959f33;padding:1px 4px;border-radius:4px}
img{max-width:100%}</style></head><body>${bodyHtml}
<script>window.addEventListener("load",()=>{const r=[...document.images].map(i=>({src:i.getAttribute("src"),ok:i.complete&&i.naturalWidth>0&&i.naturalHeight>0,w:i.naturalWidth,h:i.naturalHeight}));
const pre=document.createElement("pre");pre.id="image-check";pre.textContent=JSON.stringify(r);document.body.appendChild(pre);});</script></body></html>`;
}

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
