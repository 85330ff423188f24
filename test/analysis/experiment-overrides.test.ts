// QA units of an experiment's `overrides:` are left out of its analysis, on a real DuckDB: the
// scenario's u3 (treatment, 70 of revenue) and u5 (exposed to both variants) are overridden.
import { DuckDBInstance } from "@duckdb/node-api";
import assert from "node:assert/strict";
import { test } from "node:test";
import { fetchSufficientStats } from "../../src/analysis/fetch-stats.js";
import { DuckDbWarehouse } from "../../src/analysis/duckdb-warehouse.js";
import { compileExperimentSql } from "../../src/compiler/sql/index.js";
import type { Experiment } from "../../src/workspace/model.js";
import { loadScenario, scenarioWorkspace } from "./scenario.js";

async function analyse(overrides?: Experiment["overrides"]) {
  const instance = await DuckDBInstance.create(":memory:");
  try {
    const w = DuckDbWarehouse.fromConnection(await instance.connect());
    await loadScenario(w);
    const { workspace, experiment } = scenarioWorkspace();
    const e: Experiment = overrides ? { ...experiment, overrides } : experiment;
    workspace.experiments.set(e.key, e);
    const r = await fetchSufficientStats(w, workspace, e, {});
    assert.deepEqual(r.diagnostics, []);
    return r;
  } finally {
    instance.closeSync();
  }
}

test("overridden units count in no variant, however they were exposed", async () => {
  const before = await analyse();
  const after = await analyse({ treatment: ["u3"], control: ["u5", "qa_never_exposed"] });
  assert.deepEqual(before.units, { control: 3, treatment: 3 });
  assert.equal(before.multipleExposures, 1);
  // u3 leaves treatment; u5, who saw both variants, is no longer a multiple exposure.
  assert.deepEqual(after.units, { control: 3, treatment: 2 });
  assert.equal(after.multipleExposures, 0);
  const revenue = (r: typeof before) => r.metrics.find((m) => m.metric === "revenue")!.variants;
  assert.deepEqual(revenue(before)["treatment"], { kind: "mean", n: 3, sum: 120, sumSq: 70 ** 2 + 50 ** 2 });
  // Without u3's 70: u4 0 and u6 50.
  assert.deepEqual(revenue(after)["treatment"], { kind: "mean", n: 2, sum: 50, sumSq: 50 ** 2 });
  assert.deepEqual(revenue(after)["control"], revenue(before)["control"]);
});

test("the SQL leaves the override units out through bound parameters", () => {
  const { workspace, experiment } = scenarioWorkspace();
  const e: Experiment = { ...experiment, overrides: { treatment: ["qa'1"] } };
  const c = compileExperimentSql({ workspace, experiment: e, dialect: "duckdb" });
  assert.match(c.batch!.sql, /x\."unit_id" NOT IN \(\$\d+\)/);
  assert.ok(c.batch!.params.includes("qa'1"));
  const shown = compileExperimentSql({ workspace, experiment: e, dialect: "postgres", inlineParams: true });
  assert.match(shown.exposures.sql, /x\."unit_id" NOT IN \('qa''1'\)/);
});
