import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GuardrailFinding } from "../../../src/app/guardrail-watch.js";
import { exp } from "../../helpers/workspace.js";

/**
 * The guardrail watch on the demo's planted data: search_ranker_v2's p95 latency regresses beyond its
 * margin (a breach: stop that experiment only), landing_page_split's sample ratio is skewed (an
 * alert, nothing stopped), and the others are left alone, inconclusive guardrails included.
 */
test("exp guardrails acts only on a breach, only for the experiment that breached, and reports SRM as an alert", () => {
  const out = join(mkdtempSync(join(tmpdir(), "exp-guardrails-")), "shop");
  const demo = exp(process.cwd(), ["demo", "--out", out]);
  assert.equal(demo.status, 0, demo.stdout + demo.stderr);
  const asOf = "2026-12-14T00:00:00Z";

  const json = exp(out, ["guardrails", "--format", "json", "--as-of", asOf], { EXP_NOW: asOf });
  assert.equal(json.status, 0, json.stderr);
  const findings = JSON.parse(json.stdout) as GuardrailFinding[];
  const byKey = new Map(findings.map((f) => [f.experiment, f]));
  const ranker = byKey.get("search_ranker_v2");
  assert.equal(ranker?.action, "stop");
  assert.deepEqual(
    ranker.breaches.map((b) => b.metric),
    ["p95_page_load"],
  );
  assert.equal(ranker.file, "experiments/search_ranker_v2.yaml");
  assert.equal(byKey.get("landing_page_split")?.action, "alert");
  assert.equal(byKey.get("landing_page_split")?.srm.ok, false);
  const stopped = findings.filter((f) => f.action === "stop").map((f) => f.experiment);
  assert.deepEqual(stopped, ["search_ranker_v2"], "nothing else is stopped");
  // Inconclusive guardrails are listed, never acted on.
  for (const f of findings) if (f.breaches.length === 0) assert.notEqual(f.action, "stop");
  // A running experiment no unit has reached yet (the demo plants no data for the bandit) has nothing
  // to watch: not an error that would fail the workflow.
  assert.deepEqual(
    findings.filter((f) => f.note !== undefined).map((f) => [f.experiment, f.action, f.note]),
    [["homepage_banner_bandit", "none", "no exposures yet"]],
  );
  // The interleaving experiment has lists shown (the demo plants its preference) and no guardrail.
  assert.equal(byKey.get("recs_interleaving")?.action, "none");
  assert.doesNotMatch(json.stderr, /EXP6109/);

  const text = exp(out, ["guardrails", "search_ranker_v2", "--as-of", asOf], { EXP_NOW: asOf });
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /✖ search_ranker_v2 \(phase \d+\): STOP: guardrail breached: "p95_page_load" for /);
  assert.match(text.stdout, /1 experiment\(s\) watched, 1 to act on\./);

  const unknown = exp(out, ["guardrails", "search_ranker"]);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /There is no experiment "search_ranker"/);
  assert.match(unknown.stderr, /search_ranker_v2/);
});
