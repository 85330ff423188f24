// evaluations/<key>.yaml (docs/workspace.md#evaluations): defaults filled in, compare_with resolved
// against the experiment, and misuse reported at file:line:col as data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadWorkspace } from "../../src/workspace/load.js";
import { FIXTURES } from "./fixture-tree.js";

async function load(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "exp-evaluations-"));
  try {
    cpSync(join(FIXTURES, "_base"), dir, { recursive: true });
    mkdirSync(join(dir, "evaluations"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "evaluations", name), text);
    const loaded = await loadWorkspace(dir);
    return {
      evaluations: loaded.value?.evaluations,
      diagnostics: loaded.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.span?.line, column: d.span?.column })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("a minimal evaluation gets the default columns, floor, minimum ESS and exp.yaml's alpha", async () => {
  const r = await load({ "ranker.yaml": "evaluation: ranker\ntable: decisions\n" });
  assert.deepEqual(r.diagnostics, []);
  const e = r.evaluations?.get("ranker");
  assert.deepEqual(e?.columns, {
    unit: "unit_id",
    context: "context_id",
    action: "action",
    logging_propensity: "logging_propensity",
    target_propensity: "target_propensity",
    reward: "reward",
  });
  assert.equal(e?.propensity_floor, 0.01);
  assert.equal(e?.min_effective_sample_size, 100);
  assert.equal(e?.alpha, 0.05);
  assert.equal(e?.clip, undefined);
  assert.equal(e?.compare_with, undefined);
});

test("compare_with defaults to the experiment's first primary metric and first treatment", async () => {
  const r = await load({
    "ranker.yaml": [
      "evaluation: ranker",
      "table: analytics.decisions",
      "columns: {reward: converted, reward_estimate: q_logged, target_estimate: q_target}",
      "clip: 10",
      "propensity_floor: 2%",
      "compare_with: {experiment: checkout}",
      "",
    ].join("\n"),
  });
  assert.deepEqual(r.diagnostics, []);
  const e = r.evaluations?.get("ranker");
  assert.deepEqual(e?.compare_with, { experiment: "checkout", metric: "conversion", variant: "treatment" });
  assert.equal(e?.columns.reward, "converted");
  assert.equal(e?.columns.target_estimate, "q_target");
  assert.equal(e?.clip, 10);
  assert.equal(e?.propensity_floor, 0.02);
});

test("misuse is reported where it is written, and the evaluation is left out", async () => {
  const r = await load({
    "a.yaml": "evaluation: a\ntable: t\ncolumns: {reward_estimate: q}\n",
    "b.yaml": "evaluation: b\ntable: t\ncompare_with: {experiment: chekout}\n",
    "c.yaml": "evaluation: c\ntable: t\ncompare_with: {experiment: checkout, metric: revenu, variant: control}\n",
    "d.yaml": "evaluation: e\ntable: t\n",
    "f.yaml": "evaluation: f\ntable: t\nclip: 0\nbogus: 1\n",
  });
  assert.deepEqual(
    r.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`),
    ["EXP1060 3:11", "EXP3060 3:28", "EXP3061 3:46", "EXP3063 1:13", "EXP1020 4:1", "EXP1026 3:7"],
  );
  assert.match(r.diagnostics.find((d) => d.code === "EXP3060")!.message, /unknown experiment "chekout"/);
  assert.deepEqual([...(r.evaluations?.keys() ?? [])], []);
});
