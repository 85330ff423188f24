// Attribute covariates on a real DuckDB: the value on the unit's first exposure row (a later row's
// value does not count), 0 and an indicator of 1 when missing, booleans as 0/1.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { compileExperimentSql } from "../../../src/compiler/sql/index.js";
import { makeExperiment, makeMetric, makeSettings, makeWorkspace } from "./fixture-workspace.js";

function compiled() {
  const base = makeSettings();
  const settings = { ...base, attributes: { ...base.attributes, age: "number" as const, emp: "boolean" as const } };
  const metric = {
    ...makeMetric("rev", "sum(purchase.revenue)", { windowDays: 1, cuped: true }),
    cuped_covariates: [],
    cuped_attributes: [
      { attribute: "age", index: 0 },
      { attribute: "emp", index: 1 },
    ],
  };
  const experiment = makeExperiment("exp1", [metric.key]);
  const workspace = makeWorkspace({ settings, metrics: [metric], experiments: [experiment] });
  return compileExperimentSql({ workspace, experiment, dialect: "duckdb" });
}

test("attribute covariates read the first exposure's value, with a missing indicator", async () => {
  const c = compiled();
  assert.deepEqual(c.diagnostics, []);
  const db = await (await DuckDBInstance.create(":memory:")).connect();
  await db.run(`CREATE TABLE exposures AS SELECT * FROM (VALUES
    ('u1', 'exp1', 'control', TIMESTAMP '2026-11-02 00:00:00', NULL, '{"age":3,"emp":true}', 1),
    ('u2', 'exp1', 'control', TIMESTAMP '2026-11-02 00:00:00', NULL, '{"age":5}', 1),
    ('u3', 'exp1', 'treatment', TIMESTAMP '2026-11-02 00:00:00', NULL, '{"emp":false}', 1),
    ('u3', 'exp1', 'treatment', TIMESTAMP '2026-11-03 00:00:00', NULL, '{"age":99}', 1),
    ('u4', 'exp1', 'treatment', TIMESTAMP '2026-11-02 00:00:00', NULL, NULL, 1)
  ) t(unit_id, experiment, variant, ts, session_id, attributes, phase)`);
  await db.run(`CREATE TABLE events AS SELECT * FROM (VALUES
    ('u1', NULL, 'purchase', TIMESTAMP '2026-11-02 01:00:00', NULL, '{"revenue":10}', 'e1'),
    ('u3', NULL, 'purchase', TIMESTAMP '2026-11-02 01:00:00', NULL, '{"revenue":4}', 'e2')
  ) t(unit_id, session_id, event, ts, value, properties, event_id)`);
  const rows = (await db.runAndReadAll(c.batch!.sql, c.batch!.params as never)).getRowObjectsJson();
  const pick = (variant: string) => {
    const r = rows.find((x) => x["variant"] === variant)!;
    const names = ["n", "sum_x1", "sum_x2", "sum_x3", "sum_x4", "sum_x1_x1", "sum_x1_y", "sum_x2_x4", "sum_x3_y"];
    return Object.fromEntries(names.map((n) => [n, r[`m0_${n}`]]));
  };
  // x1 age, x2 age missing, x3 emp, x4 emp missing (x0 is the own pre-period).
  assert.deepEqual(pick("control"), {
    n: 2,
    sum_x1: 8,
    sum_x2: 0,
    sum_x3: 1,
    sum_x4: 1,
    sum_x1_x1: 34,
    sum_x1_y: 30,
    sum_x2_x4: 0,
    sum_x3_y: 10,
  });
  assert.deepEqual(pick("treatment"), {
    n: 2,
    sum_x1: 0,
    sum_x2: 2,
    sum_x3: 0,
    sum_x4: 1,
    sum_x1_x1: 0,
    sum_x1_y: 0,
    sum_x2_x4: 1,
    sum_x3_y: 0,
  });
});
