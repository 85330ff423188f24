import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileExperimentSql } from "../../../src/compiler/sql/index.js";
import { scenarioWorkspace } from "../../analysis/scenario.js";

// The analysis of phase N reads only phase-N exposures (docs/analysis.md#phases): by the exposures' phase
// column when the table has one, else from the phase's first publication on. Every query that reads
// exposures carries the filter, so that the summary, the metrics and the quantiles agree.
describe("the phase filter on exposures", () => {
  const { workspace, experiment } = scenarioWorkspace();
  const queries = (c: ReturnType<typeof compileExperimentSql>) => [c.exposures, ...c.metrics, c.batch!];

  test("by the phase column: x.phase = N in every query", () => {
    const c = compileExperimentSql({ workspace, experiment: { ...experiment, phase: 2 }, dialect: "duckdb", phase: { column: 2 } });
    assert.deepEqual(c.diagnostics, []);
    for (const q of queries(c)) assert.match(q.sql, /WHERE x\."experiment" = \$1 AND x\."phase" = 2\n/);
  });

  test("a remapped phase column is quoted under its own name", () => {
    const ws = {
      ...workspace,
      settings: {
        ...workspace.settings,
        warehouse: {
          ...workspace.settings.warehouse,
          columns: {
            ...workspace.settings.warehouse.columns,
            exposures: { ...workspace.settings.warehouse.columns.exposures, phase: "exp_phase" },
          },
        },
      },
    };
    const c = compileExperimentSql({ workspace: ws, experiment, dialect: "postgres", phase: { column: 1 } });
    assert.match(c.exposures.sql, /x\."exp_phase" = 1/);
  });

  test("from the phase's start: x.ts >= the start, bound as a parameter after the as-of time", () => {
    const c = compileExperimentSql({
      workspace,
      experiment,
      dialect: "duckdb",
      asOf: "2026-12-20T00:00:00Z",
      phase: { since: "2026-12-01T12:00:00Z" },
    });
    assert.deepEqual(c.diagnostics, []);
    for (const q of queries(c)) {
      assert.match(q.sql, /x\."ts" < CAST\(\$2 AS TIMESTAMP\) AND x\."ts" >= CAST\(\$3 AS TIMESTAMP\)/);
      assert.deepEqual(q.params.slice(0, 3), ["exp1", "2026-12-20 00:00:00.000", "2026-12-01 12:00:00.000"]);
    }
  });

  test("without a phase filter no query mentions the phase", () => {
    const c = compileExperimentSql({ workspace, experiment, dialect: "duckdb" });
    for (const q of queries(c)) assert.doesNotMatch(q.sql, /phase/);
  });

  test("the experiment list for an analysis without exposures is neither cut at the as-of time nor by phase", () => {
    const c = compileExperimentSql({ workspace, experiment, dialect: "duckdb", asOf: "2026-12-20T00:00:00Z", phase: { column: 3 } });
    assert.match(c.experiments.sql, /^-- exp:experiment_list\nSELECT x\."experiment" AS experiment, MIN\(x\."ts"\) AS first_exposure/);
    assert.doesNotMatch(c.experiments.sql, /WHERE/);
    assert.deepEqual(c.experiments.params, []);
  });
});
