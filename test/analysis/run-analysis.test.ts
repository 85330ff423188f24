// runAnalysis in-process on a small DuckDB warehouse: the design mapping (tiers, kinds, CUPED,
// guardrail margins), provenance outside git, and data problems as result codes or diagnostics.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { runAnalysis } from "../../src/analysis/analyze.js";
import { DuckDbWarehouse } from "../../src/analysis/duckdb-warehouse.js";
import { makeExperiment, makeMetric, makeWorkspace } from "../compiler/sql/fixture-workspace.js";
import { loadScenario } from "./scenario.js";

let instance: DuckDBInstance;
let connection: DuckDBConnection;

function design() {
  const metrics = [
    makeMetric("conv", "any(purchase)", { windowDays: 1 }),
    makeMetric("ret", "any(app_open where days_since_exposure between 7 and 14)", { windowDays: 15 }),
    makeMetric("revenue_cuped", "sum(purchase.value)", { windowDays: 1, cuped: true }),
    makeMetric("ctr", "count(click where position <= 5) / count(impression)", { windowDays: 1, cuped: true }),
    {
      ...makeMetric("p50_latency", "p50(page_load.latency_ms)", { windowDays: 1 }),
      direction: "decrease" as const,
      guardrail: { max_regression: 0.05 },
    },
  ];
  const experiment = {
    ...makeExperiment("exp1", []),
    metrics: { primary: ["revenue_cuped"], secondary: ["ret", "conv"], guardrails: ["p50_latency", "ctr"] },
  };
  return { workspace: makeWorkspace({ metrics, experiments: [experiment] }), experiment };
}

describe("runAnalysis", () => {
  before(async () => {
    instance = await DuckDBInstance.create(":memory:");
    connection = await instance.connect();
  });
  after(() => {
    connection.closeSync();
    instance.closeSync();
  });

  test("missing tables come back as a diagnostic, without a result", async () => {
    const { workspace, experiment } = design();
    const run = await runAnalysis(workspace, experiment, { warehouse: DuckDbWarehouse.fromConnection(connection) });
    assert.equal(run.result, undefined);
    assert.deepEqual(
      run.diagnostics.map((d) => d.code),
      ["EXP6120"],
    );
    assert.match(run.diagnostics[0]!.message, /no table "exposures"/);
  });

  test("empty tables are an error that says so, not a result of 0 units", async () => {
    await loadScenario(DuckDbWarehouse.fromConnection(connection), [], []);
    try {
      const { workspace, experiment } = design();
      const run = await runAnalysis(workspace, experiment, { warehouse: DuckDbWarehouse.fromConnection(connection), connection: "local" });
      // Today's main gave "0 units, no mismatch (p = 1.0000), keep running" here.
      assert.equal(run.result, undefined);
      const error = run.diagnostics.find((d) => d.severity === "error")!;
      assert.equal(error.code, "EXP6109");
      assert.equal(error.message, 'There are no exposures for "exp1" in connection "local": the table "exposures" is empty.');
    } finally {
      await connection.run("DROP TABLE exposures");
      await connection.run("DROP TABLE events");
    }
  });

  test("metrics come by tier in declaration order, with their kinds, directions, margins and CUPED", async () => {
    await loadScenario(DuckDbWarehouse.fromConnection(connection));
    const { workspace, experiment } = design();
    const run = await runAnalysis(workspace, experiment, { warehouse: DuckDbWarehouse.fromConnection(connection) });
    const r = run.result!;
    assert.deepEqual(
      r.metrics.map((m) => [m.metric, m.tier, m.kind, m.direction]),
      [
        ["revenue_cuped", "primary", "sum", "increase"],
        ["ret", "secondary", "conversion", "increase"],
        ["conv", "secondary", "conversion", "increase"],
        ["p50_latency", "guardrail", "quantile", "decrease"],
        ["ctr", "guardrail", "ratio", "increase"],
      ],
    );
    assert.equal(r.metrics[0]!.comparisons[0]!.cuped?.applied, true);
    // The ratio asks for CUPED, but its linearised pre-period covariate has no variance here (u2's 0/1 and
    // u4's 1/2 sit exactly on their arms' pre-period ratios), so it is not applied; metrics without CUPED say nothing.
    assert.deepEqual(r.metrics[4]!.comparisons[0]!.cuped, { applied: false });
    assert.equal(r.metrics[2]!.comparisons[0]!.cuped, undefined);
    assert.deepEqual(
      r.guardrails.map((g) => [g.metric, g.max_regression]),
      [
        ["p50_latency", 0.05],
        ["ctr", null],
      ],
    );
    // u5 saw both variants; 3 control and 3 treatment units remain (test/analysis/scenario.ts).
    assert.deepEqual(r.units, { control: 3, treatment: 3 });
    assert.equal(r.multiple_exposures, 1);
    assert.equal(r.provenance.sourceCommit, null);
    assert.equal(r.provenance.dataWindow.start, "2026-12-01T00:00:00.000Z");
    assert.equal(r.power, undefined);
  });

  test("the hashes are stable, and follow the SQL and the definitions", async () => {
    const { workspace, experiment } = design();
    const warehouse = DuckDbWarehouse.fromConnection(connection);
    const a = (await runAnalysis(workspace, experiment, { warehouse })).result!.provenance;
    const b = (await runAnalysis(workspace, experiment, { warehouse })).result!.provenance;
    assert.deepEqual(a, b);
    const cut = (await runAnalysis(workspace, experiment, { warehouse, asOf: "2026-12-05T00:00:00Z" })).result!.provenance;
    assert.notEqual(cut.sqlSha256, a.sqlSha256);
    assert.equal(cut.definitionsSha256, a.definitionsSha256);
    const stricter = { ...experiment, analysis: { ...experiment.analysis, alpha: 0.01 } };
    const changed = (await runAnalysis({ ...workspace, experiments: new Map([["exp1", stricter]]) }, stricter, { warehouse })).result!;
    assert.notEqual(changed.provenance.definitionsSha256, a.definitionsSha256);
    assert.equal(changed.provenance.sqlSha256, a.sqlSha256);
    assert.equal(changed.alpha, 0.01);
  });
});
