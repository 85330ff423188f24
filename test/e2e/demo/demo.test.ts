import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exp, git } from "../../helpers/workspace.js";
import { DEMO_EXPECTATIONS } from "../../../src/demo/effects.js";
import { renderedReport } from "./rendered-report.js";

test("exp demo runs the main job end to end and finds every planted effect", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "exp-demo-test-")), "shop");
  const r = exp(process.cwd(), ["demo", "--out", out]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  for (const step of ["init", "validate", "plan", "apply", "serve", "data", "analyze", "report"])
    assert.match(r.stdout, new RegExp(`^✔ ${step} `, "m"));
  assert.equal((r.stdout.match(/^ {4}✔ /gm) ?? []).length, DEMO_EXPECTATIONS.length, "every planted effect found");
  assert.doesNotMatch(r.stdout, /✘/);
  assert.match(r.stdout, /^ {4}holdout-global_2026 +none +purchase_conversion /m, "a holdout has nothing to ship or roll back");
  // The reports are committed in the demo repository, with their charts.
  const md = join(out, "reports/checkout_redesign/2026-12-14.md");
  assert.ok(existsSync(md));
  // The one-page checkout's lift is significant, but a fixed-horizon test far from its planned sample
  // is no evidence yet: the report keeps it running and says why, with the phase and the horizon.
  const report = readFileSync(md, "utf8");
  assert.match(report, /^\| phase \| phase 1, first exposure 2026-11-16 [\d:.]+ UTC \(exposures carry their phase\) \|$/m);
  assert.match(report, /^\| horizon \| ⏳ [\d,]+ of [\d,]+ planned units \(\d+%\): not reached, so no ship or stop yet \|$/m);
  assert.match(
    report,
    /## Decision: ⏳ keep running\n\n- Fixed-horizon test: [\d,]+ of [\d,]+ planned units .*use method: sequential to decide early\./,
  );
  const ranker = readFileSync(join(out, "reports/search_ranker_v2/2026-12-14.md"), "utf8");
  assert.match(readFileSync(md, "utf8"), /### CUPED on several covariates\n/);
  // The holdout's report says what it compared, and reads the lift as what shipping did, not as a ship decision.
  const holdout = readFileSync(join(out, "reports/holdout-global_2026/2026-12-14.md"), "utf8");
  assert.match(
    holdout,
    /\*\*Units in holdout global_2026 \(2% of traffic, never enrolled in experiments or rollouts that honour holdouts\) vs everyone else: the cumulative effect of what shipped\.\*\*/,
  );
  assert.match(
    holdout,
    /^## Decision: none: a holdout measures what shipped, there is nothing to ship or roll back\n\n- what shipping did to \w+: \+[\d.]+% \(CI \+[\d.]+% to \+[\d.]+%, p [=<] [\d.]+\)$/m,
  );
  assert.match(holdout, /^- Units with no event in the window are not in the population/m);
  assert.match(ranker, /## Decision: ⏪ roll back\n\n- Guardrail "p95_page_load" regressed/);
  // The offline evaluation of the same ranker sits beside its online result.
  assert.match(ranker, /### Off-policy evaluation\n\n\*\*`search_ranker_offline`\*\*: 20,000 decisions of `search_decisions`/);
  assert.match(ranker, /^\| doubly robust \| [\d.]+ \| [\d.]+ to [\d.]+ \| \+[\d.]+ \| \+[\d.]+ to \+[\d.]+ \|/m);
  assert.match(ranker, /^Online, `search_ranker_v2` measured `top5_ctr` for `ranker_v2` against `control`/m);
  assert.match(git(out, "log", "-1", "--format=%s"), /^report: /);
  assert.equal(git(out, "status", "--porcelain", "--", "reports").trim(), "");
  // What was applied is what the workspace says now.
  assert.equal(exp(out, ["plan"]).status, 0);
  // Each module's section as a reader sees it on GitHub, rendered in headless Chromium with its charts.
  const reports = join(out, "reports");
  await renderedReport(join(reports, "checkout_redesign/2026-12-14.md"), ["Dimensions", "CUPED on several covariates"]);
  await renderedReport(join(reports, "search_ranker_v2/2026-12-14.md"), ["Off-policy evaluation", "Fairness"]);
  // An interleaving experiment has no arms: no lift or over-time chart, and the page says why.
  const interleaved = await renderedReport(join(reports, "recs_interleaving/2026-12-14.md"), ["Interleaving"], {
    screenshot: "report-interleaving.png",
    charts: false,
  });
  assert.match(interleaved, /there are no arms to chart/);
  assert.match(interleaved, /two_tower preferred: 6\d\.\d% of the units with a preference prefer two_tower \(CI \d\d\.\d% to \d\d\.\d%\)/);
  assert.doesNotMatch(interleaved, /Sample ratio/, "an interleaving experiment has no arms to check");
});
