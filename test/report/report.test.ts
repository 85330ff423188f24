import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildReport } from "../../src/report/build.js";
import { fillTemplate } from "../../src/report/template.js";
import type { InterleavingJson } from "../../src/stats/interleaving.js";
import { sampleReportInput } from "./sample.js";

const template = readFileSync(new URL("../../templates/report/report.md", import.meta.url), "utf8");

test("a report has the header, a table per tier, the decision, power, notes and provenance", async () => {
  const r = await buildReport(sampleReportInput(), template);
  const md = r.files[0]!.content;
  assert.equal(r.markdownPath, "reports/checkout_redesign/2026-12-09.md");
  assert.match(md, /^# One-page checkout — report of 2026-12-09$/m);
  assert.match(md, /\| hypothesis \| The one-page checkout raises purchase conversion by at least 3%\. \|/);
  assert.match(md, /\| control \| 20,011 \| 50\.1% \| 50\.0% \|/);
  // The SRM line states the threshold the p-value is judged by.
  assert.match(md, /Sample ratio:\*\* ✅ p = 0\.7600 ≥ 0\.001: no mismatch \(χ² = 0\.09\)/);
  // The header names the phase and its start, the horizon and the minimums.
  assert.match(md, /\| phase \| phase 1, first exposure 2026-12-01 00:00 UTC \(exposures carry their phase\) \|/);
  assert.match(md, /\| horizon \| ✅ 39,961 of 36,000 planned units \(111%\): reached \|/);
  assert.match(md, /\| minimums \| ✅ 8\.0 of 7 days; fewest units 19,950 in "one_page" of 1,000 per variant: met \|/);
  for (const h of [
    "### Primary metrics",
    "### Secondary metrics",
    "### Guardrail metrics",
    "## Decision: 🚀 ship",
    "## Power",
    "## Guardrails",
  ])
    assert.ok(md.includes(h), h);
  assert.match(
    md,
    /\| `purchase_conversion` ᶜ \| one_page \| 5\.10% \| 5\.40% \| \+6\.00% \(\+1\.00% to \+11\.00%\) \| 0\.0080 \| ✅ win \|/,
  );
  assert.match(md, /\| `revenue_per_user` \| one_page \| 4\.20 \| 4\.30 \| \+2\.40% \(-2\.00% to \+6\.80%\) \| 0\.2800 \| ➖ flat \|/);
  assert.match(md, /CUPED applied, θ = 0\.4000, variance reduced by 43\.0%/);
  assert.match(md, /Declared MDE 3\.00%; the data so far can detect a relative effect of 2\.50%/);
  assert.match(md, /source commit `0123456789ab`/);
  assert.ok(!md.includes("{{"), "every template slot is filled");
});

test("verdicts follow the metric's direction and guardrail status", async () => {
  const input = sampleReportInput();
  const g = input.analysis.metrics[2]!;
  g.comparisons[0] = { ...g.comparisons[0]!, significant: true, diff: 0.004 };
  const guard = input.analysis.guardrails[0]!;
  Object.assign(guard, { passed: false, breached: true });
  guard.variants[0]!.status = "breached";
  const rev = input.analysis.metrics[1]!;
  rev.comparisons[0] = { ...rev.comparisons[0]!, significant: true, diff: -0.2 };
  const md = (await buildReport(input, template)).files[0]!.content;
  assert.match(md, /`checkout_errors` \| one_page .* 🚨 guardrail breached \|/);
  assert.match(md, /`revenue_per_user` \| one_page .* ❌ loss \|/);
  assert.match(md, /🚨 `checkout_errors` for one_page: \*\*breached\*\*/);
});

test("an SRM mismatch is called out in the header", async () => {
  const input = sampleReportInput();
  input.analysis.srm = { chi2: 25.3, p_value: 0.0000005, threshold: 0.001, ok: false };
  const md = (await buildReport(input, template)).files[0]!.content;
  // A tiny p-value reads "p < 0.0001", never "p = 0.0000" or "p = <0.0001".
  assert.match(md, /Sample ratio:\*\* 🚨 p < 0\.0001, below 0\.001: mismatch \(χ² = 25\.30\)/);
  assert.doesNotMatch(md, /p = 0\.0000|p = </);
});

test("regenerating with the same input is byte-identical (markdown and charts)", async () => {
  const a = await buildReport(sampleReportInput(), template);
  const b = await buildReport(sampleReportInput(), template);
  assert.deepEqual(
    a.files.map((f) => f.content),
    b.files.map((f) => f.content),
  );
});

test("charts are SVG with titles, axis titles and units, and a transparent background", async () => {
  const r = await buildReport(sampleReportInput(), template);
  const [forest, cumulative, units] = r.files.slice(1).map((f) => f.content);
  for (const svg of [forest!, cumulative!, units!]) {
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /<rect width="\d+" height="\d+" fill="white"/, "no opaque white background (dark theme)");
  }
  assert.match(forest!, /Relative lift by metric \(95% CI\)/);
  assert.match(forest!, /relative lift \(%\)/);
  assert.match(forest!, /purchase_conversion · one_page/);
  assert.match(cumulative!, /Cumulative relative lift of purchase_conversion \(95% CI\)/);
  assert.match(cumulative!, /analysis date \(UTC\)/);
  assert.match(units!, /Units per variant over time/);
  assert.match(units!, /units \(count\)/);
});

test("template slots: unknown slots stay visible, known ones are filled", () => {
  assert.equal(fillTemplate("a {{x}} b {{ y }} {{nope}}", { x: "1", y: "2" }), "a 1 b 2 {{nope}}");
});

test("last-bit noise in the analysis (parallel float sums in the warehouse) does not change the charts", async () => {
  const a = await buildReport(sampleReportInput(), template);
  const noisy = sampleReportInput();
  const nudge = (x: number | null) => (x === null ? x : x * (1 + 4e-16) + 1e-18);
  for (const m of noisy.analysis.metrics)
    for (const c of m.comparisons) Object.assign(c, { rel_lift: nudge(c.rel_lift), rel_ci: [nudge(c.rel_ci[0]), nudge(c.rel_ci[1])] });
  for (const d of noisy.daily)
    for (const l of Object.values(d.lift))
      Object.assign(l, { rel_lift: nudge(l.rel_lift), rel_ci: [nudge(l.rel_ci[0]), nudge(l.rel_ci[1])] });
  assert.notEqual(
    noisy.analysis.metrics[0]!.comparisons[0]!.rel_lift,
    sampleReportInput().analysis.metrics[0]!.comparisons[0]!.rel_lift,
    "the nudge changes the numbers",
  );
  const b = await buildReport(noisy, template);
  assert.deepEqual(
    b.files.map((f) => f.content),
    a.files.map((f) => f.content),
  );
});

test("an inconclusive guardrail and a Bayesian comparison (no p-value) read as such", async () => {
  const input = sampleReportInput();
  input.analysis.guardrails[0]!.variants[0]!.status = "inconclusive";
  input.analysis.guardrails[0]!.passed = false;
  const primary = input.analysis.metrics[0]!;
  primary.comparisons[0] = { ...primary.comparisons[0]!, p_value: null, p_value_adjusted: null, chance_to_win: 0.9912 };
  const md = (await buildReport(input, template)).files[0]!.content;
  assert.match(
    md,
    /\| `purchase_conversion` ᶜ \| one_page \| 5\.10% \| 5\.40% \| \+6\.00% \(\+1\.00% to \+11\.00%\) \| P\(win\) 99\.1% \| ✅ win \|/,
  );
  assert.match(md, /\| `checkout_errors` \| one_page .* \| ❔ inconclusive \|/);
  assert.match(md, /- ⚠️ `checkout_errors` for one_page: inconclusive — not yet shown to be within its margin/);
});

test("declared amendments to the registered design are listed in the header, dated, with pipes kept inside the cell", async () => {
  const input = sampleReportInput();
  const without = (await buildReport(input, template)).files[0]!.content;
  assert.ok(!without.includes("| amendments |"), "no row when nothing was amended");
  input.experiment.amendments = [
    { reason: "Primary metric switched to revenue_per_user | after the pricing bug", date: "2026-12-03" },
    { reason: "α tightened to 0.01" },
  ];
  const md = (await buildReport(input, template)).files[0]!.content;
  assert.match(
    md,
    /^\| amendments \| 1\. 2026-12-03: Primary metric switched to revenue_per_user \\\| after the pricing bug; 2\. α tightened to 0\.01 \|$/m,
  );
});

/** The demo's planted preference: two_tower preferred over collab_filter. */
function interleavingSample(): InterleavingJson {
  return {
    method: "team_draft",
    rankers: ["collab_filter", "two_tower"],
    click_event: "recommendation_click",
    item_property: "item_id",
    wins_a: 282,
    wins_b: 558,
    ties: 251,
    no_clicks: 66,
    clicks_a: 1312,
    clicks_b: 1863,
    share_a: 0.3357,
    share_a_ci: [0.304, 0.369],
    preference: -0.3286,
    delta_with_ties: -0.1265,
    p_value: 1e-20,
    alpha: 0.05,
    winner: "two_tower",
  };
}

test("an interleaving report embeds no per-arm charts and says why, once per section", async () => {
  const input = sampleReportInput();
  input.analysis.interleaving = interleavingSample();
  const r = await buildReport(input, template);
  assert.deepEqual(
    r.files.map((f) => f.path),
    ["reports/checkout_redesign/2026-12-09.md"],
  );
  const md = r.files[0]!.content;
  assert.doesNotMatch(md, /!\[[^\]]*\]\(/, "no image is embedded");
  const why = "Each unit saw one list merging both rankers: there are no arms to chart.";
  assert.equal(md.split(why).length - 1, 2, md);
  assert.match(md, /## Results\n\n[^\n]*no arms to chart/);
  assert.match(md, /## Over time\n\nEach unit saw one list/);
  assert.match(md, /two_tower preferred/);
  assert.doesNotMatch(md, /CUPED was not applied/, "CUPED never applies to an interleaving experiment");
  assert.match(md, /## Notes\n\n- Units were compared within themselves/);
});

test("a custom template's chart in an HTML image or inside text leaves no marker in an interleaving report", async () => {
  const input = sampleReportInput();
  input.analysis.interleaving = interleavingSample();
  const custom = `# {{title}}\n\n## Lift\n\n<img src="{{forest_svg}}" alt="lift" width="600">\n\n## Units\n\nDaily units: ![units]({{units_svg}}) (cumulative below)\n\n![c]({{cumulative_svg}})\n`;
  const md = (await buildReport(input, custom)).files[0]!.content;
  assert.ok(!md.includes("\u0000"), "no marker is left");
  assert.doesNotMatch(md, /<img|!\[/, "no image is embedded");
  assert.match(md, /## Lift\n\nEach unit saw one list merging both rankers: there are no arms to chart\./);
  assert.match(md, /## Units\n\nDaily units:  \(cumulative below\)\n\nEach unit saw one list/);
});
