import assert from "node:assert/strict";
import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { marked } from "marked";
import { dumpDom, screenshot } from "../../helpers/chromium.js";
import { page } from "../../helpers/report-page.js";

/**
 * Renders a report the demo committed as GitHub would (markdown to HTML beside its charts) in headless
 * Chromium, checks that it embeds charts (or, with `charts: false`, none) and every one loaded, and that
 * the page shows each of `headings`, and returns the page's text. EXP_UPDATE_SCREENSHOT=1 also
 * photographs it into docs/`screenshot`.
 */
export async function renderedReport(
  markdownPath: string,
  headings: string[],
  { screenshot: screenshotName, charts = true }: { screenshot?: string; charts?: boolean } = {},
): Promise<string> {
  const file = join(dirname(markdownPath), "rendered.html");
  writeFileSync(file, page(await marked.parse(readFileSync(markdownPath, "utf8")), false));
  const dom = dumpDom(`file://${file}`);
  const m = /<pre id="image-check">(.*?)<\/pre>/s.exec(dom);
  assert.ok(m, "the page script ran");
  const images = JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&")) as { src: string; ok: boolean }[];
  if (charts) assert.ok(images.length > 0, `${markdownPath} has charts`);
  else assert.deepEqual(images, [], `${markdownPath} embeds no chart`);
  for (const img of images) assert.ok(img.ok, `chart ${img.src} loaded in ${markdownPath}`);
  for (const h of headings) assert.match(dom, new RegExp(`<h[23][^>]*>${h}</h[23]>`), `${markdownPath} shows "${h}"`);
  if (screenshotName && process.env.EXP_UPDATE_SCREENSHOT) {
    const png = join(dirname(markdownPath), "rendered.png");
    screenshot(`file://${file}`, png, "1000,2000");
    assert.ok(statSync(png).size > 10_000, "the screenshot has content");
    copyFileSync(png, new URL(`../../../docs/${screenshotName}`, import.meta.url));
  }
  return dom.replace(/<[^>]+>/g, "");
}
