import { test } from "node:test";
import assert from "node:assert/strict";
import { LIVE_VIEW_DEFAULTS } from "../../../../src/runtime/server/live-view/live-view.js";
import { openPage } from "../../../helpers/chromium-page.js";
import { waitUntil } from "../../../helpers/wait.js";
import { liveViewScene, SCENE_KEYS, signIn } from "./live-view-scene.js";

/** How long the page may take to show a breach: the server pushes within 0.1 s, the rest is slack for a loaded machine. */
const BREACH_DEADLINE_MS = 5_000;

/** Text of the cells of the table with `caption`, row by row. */
const tableCells = (caption: string) => `(() => {
  const t = [...document.querySelectorAll("table")].find((x) => x.caption?.textContent === ${JSON.stringify(caption)});
  return t ? [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)) : null;
})()`;

/**
 * Every element with text of its own that is shown: its text colour (fill for SVG text) against
 * the first opaque background behind it, as the WCAG 2.1 contrast ratio.
 */
const CONTRAST = `(() => {
  const rgba = (c) => { const p = c.match(/[\\d.]+/g).map(Number); return { r: p[0], g: p[1], b: p[2], a: p[3] ?? 1 }; };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const behind = (el) => { for (let n = el; n; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor); if (c.a > 0) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    if (el.closest("[hidden], title, desc") || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    const fg = rgba(el instanceof SVGElement ? style.fill : style.color);
    const [hi, lo] = [luminance(fg), luminance(behind(el))].sort((a, b) => b - a);
    out.push({ text: el.textContent.trim().slice(0, 40), colour: el instanceof SVGElement ? style.fill : style.color, ratio: (hi + 0.05) / (lo + 0.05) });
  }
  return out;
})()`;

/** Form controls without a label, and tables without a caption or headers. */
const UNLABELLED = `(() => [
  ...[...document.querySelectorAll("input, select, textarea")]
    .filter((el) => el.labels.length === 0 && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
    .map((el) => "control " + (el.id || el.name)),
  ...[...document.querySelectorAll("button")].filter((b) => !b.textContent.trim() && !b.getAttribute("aria-label")).map(() => "button"),
  ...[...document.querySelectorAll("table")]
    .filter((t) => !t.caption?.textContent.trim() || !t.querySelector("thead th[scope=col]") || [...t.tBodies[0].rows].some((r) => r.cells[0].tagName !== "TH" || r.cells[0].scope !== "row"))
    .map((t) => "table " + (t.caption?.textContent ?? "without caption")),
])()`;

test("the live view in Chromium: signs in from the keyboard, shows the planted exposures, shows a breach within seconds, keeps to WCAG AA basics", async (t) => {
  const scene = await liveViewScene();
  const page = await openPage(`${scene.server.url}/live`);
  try {
    await signIn(page, SCENE_KEYS.analyst);
    const expected = Object.entries(scene.planted).map(([variant, units]) => [variant, "50%", String(units), String(units)]);
    const caption = "Exposures per variant in checkout_redesign";
    assert.ok(
      await waitUntil(async () => JSON.stringify(await page.evaluate(tableCells(caption))) === JSON.stringify(expected), 15_000, 50),
      `the page shows the planted exposures ${JSON.stringify(expected)}; it shows ${JSON.stringify(await page.evaluate(tableCells(caption)))}`,
    );
    assert.equal(await page.evaluate(`document.getElementById("ruleset-version").textContent`), "1");
    assert.match(await page.evaluate<string>(`document.getElementById("connection").textContent`), /^Live/);
    const chart = await page.evaluate<string>(`document.querySelector("svg.chart desc").textContent`);
    assert.match(chart, new RegExp(`^7 samples; latest: control ${scene.planted.control}, one_page ${scene.planted.one_page}\\.$`));
    assert.deepEqual(await page.evaluate(`[...document.querySelectorAll("svg.chart polyline")].length`), 2);
    const requested = await page.evaluate<string[]>(`performance.getEntriesByType("resource").map((e) => e.name)`);
    assert.ok(
      requested.every((u) => !u.includes(SCENE_KEYS.analyst) && u.startsWith(scene.server.url)),
      `the key is in no URL, and nothing is loaded from elsewhere: ${requested.join(", ")}`,
    );
    assert.equal(await page.evaluate(`document.querySelector(".guard.breached")`), null);

    const start = Date.now();
    scene.breach();
    assert.ok(
      await waitUntil(
        () =>
          page.evaluate<boolean>(
            `[...document.querySelectorAll("#guards .guard.breached[role=alert]")].some((g) => g.textContent.includes("⚠Guard breached: experiment checkout_redesign"))`,
          ),
        BREACH_DEADLINE_MS,
        20,
      ),
      `the breach is shown within ${BREACH_DEADLINE_MS} ms`,
    );
    t.diagnostic(`the breach was shown ${Date.now() - start} ms after the guard reported it`);
    // The lifts table is its own update and may arrive just after the banner: wait for it too.
    const lifts = () => page.evaluate<string[][]>(tableCells("Live lifts in checkout_redesign (always-valid confidence sequences)"));
    await waitUntil(async () => (await lifts())[3]?.[7] === "⚠ failed", BREACH_DEADLINE_MS, 20);
    const guardrail = await lifts();
    assert.deepEqual(guardrail[3]!.slice(0, 3), ["checkout_errors", "guardrail", "one_page"]);
    assert.equal(guardrail[3]![7], "⚠ failed");

    // When its token expires the server ends the stream; the page gets a new token with the key it holds.
    scene.advance(LIVE_VIEW_DEFAULTS.tokenTtlMs);
    const later = new Date(Date.parse("2026-12-06T12:01:00Z") + LIVE_VIEW_DEFAULTS.tokenTtlMs)
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, " UTC");
    assert.ok(
      await waitUntil(
        () => page.evaluate<boolean>(`document.getElementById("generated-at").textContent === ${JSON.stringify(later)}`),
        30_000,
        50,
      ),
      "the page is live again after its token expired",
    );
    const tokens = await page.evaluate<number>(
      `performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/v1/live/token")).length`,
    );
    assert.ok(tokens >= 2, `the page asked for a new token (${tokens} token requests)`);
    assert.equal(await page.evaluate(`document.getElementById("key-form").hidden`), true, "without asking for the key again");

    // Accessibility smoke check, with animations off as a reader who asks for reduced motion has them.
    await page.emulateMedia("prefers-reduced-motion", "reduce");
    assert.equal(await page.evaluate(`getComputedStyle(document.getElementById("guards")).animationName`), "none");
    assert.deepEqual(await page.evaluate(UNLABELLED), [], "every control labelled, every table captioned with headers");
    const contrast = await page.evaluate<{ text: string; colour: string; ratio: number }[]>(CONTRAST);
    assert.ok(contrast.length > 50, `text was found to check (${contrast.length})`);
    const low = contrast.filter((c) => c.ratio < 4.5);
    assert.deepEqual(low, [], "every text colour has a contrast of at least 4.5:1");
    t.diagnostic(`text colours checked: ${[...new Set(contrast.map((c) => c.colour))].join(", ")}`);

    // The keyboard reaches the skip link first, shows where the focus is, and the link moves it to the data.
    await page.evaluate(
      `document.activeElement.blur(), window.getSelection().removeAllRanges(), document.body.setAttribute("tabindex", "-1"), document.body.focus(), document.body.removeAttribute("tabindex")`,
    );
    await page.press("Tab");
    const focused = await page.evaluate<{ cls: string; outline: string; width: number }>(
      `(() => { const a = document.activeElement; const s = getComputedStyle(a); return { cls: a.className, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) }; })()`,
    );
    assert.equal(focused.cls, "skip");
    assert.ok(focused.outline !== "none" && focused.width >= 2, `a visible focus outline (${focused.outline} ${focused.width}px)`);
    await page.press("Enter");
    assert.ok(
      await waitUntil(() => page.evaluate<boolean>(`document.activeElement?.id === "main"`), 5_000, 20),
      "the skip link moves the focus",
    );
  } finally {
    await page.close();
    await scene.close();
  }
});
