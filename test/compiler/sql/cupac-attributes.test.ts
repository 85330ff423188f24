// Attribute covariates on a real DuckDB and a real PostgreSQL: the value on the unit's first exposure
// row (a later row's value does not count), 0 and an indicator of 1 when missing or not a number,
// booleans as 0/1.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import pg from "pg";
import { compileExperimentSql } from "../../../src/compiler/sql/index.js";
import { startPostgres, type PostgresCluster } from "../../helpers/postgres.js";
import { makeExperiment, makeMetric, makeSettings, makeWorkspace } from "./fixture-workspace.js";

function compiled(dialect: "duckdb" | "postgres") {
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
  const c = compileExperimentSql({ workspace, experiment, dialect });
  assert.deepEqual(c.diagnostics, []);
  return c.batch!;
}

const q = (v: string | null) => (v === null ? "NULL" : `'${v}'`);
// unit, variant, ts, attributes
const EXPOSURES: [string, string, string, string | null][] = [
  ["u1", "control", "2026-11-02 00:00:00", '{"age":3,"emp":true}'],
  ["u2", "control", "2026-11-02 00:00:00", '{"age":5}'],
  // Values that are not a number (or true/false) count as missing, on every engine.
  ["u5", "control", "2026-11-02 00:00:00", '{"age":"abc","emp":"yes"}'],
  ["u3", "treatment", "2026-11-02 00:00:00", '{"emp":false}'],
  ["u3", "treatment", "2026-11-03 00:00:00", '{"age":99}'],
  ["u4", "treatment", "2026-11-02 00:00:00", null],
  ["u6", "treatment", "2026-11-02 00:00:00", '{"age":"12"}'],
];
const EVENTS: [string, string, string, string][] = [
  ["u1", "purchase", "2026-11-02 01:00:00", '{"revenue":10}'],
  ["u3", "purchase", "2026-11-02 01:00:00", '{"revenue":4}'],
];
const exposureRows = EXPOSURES.map(([u, v, ts, a]) => `('${u}', 'exp1', '${v}', TIMESTAMP '${ts}', NULL, ${q(a)}, 1)`).join(",\n");
const eventRows = EVENTS.map(([u, e, ts, p], i) => `('${u}', NULL, '${e}', TIMESTAMP '${ts}', NULL, '${p}', 'e${i}')`).join(",\n");

const NAMES = ["n", "sum_x1", "sum_x2", "sum_x3", "sum_x4", "sum_x1_x1", "sum_x1_y", "sum_x2_x4", "sum_x3_y"];
function pick(rows: Record<string, unknown>[], variant: string) {
  const r = rows.find((x) => x["variant"] === variant)!;
  return Object.fromEntries(NAMES.map((n) => [n, Number(r[`m0_${n}`])]));
}

/** x1 age, x2 age missing, x3 emp, x4 emp missing (x0 is the own pre-period). */
function assertSums(rows: Record<string, unknown>[]) {
  assert.deepEqual(pick(rows, "control"), {
    n: 3,
    sum_x1: 8,
    sum_x2: 1,
    sum_x3: 1,
    sum_x4: 2,
    sum_x1_x1: 34,
    sum_x1_y: 30,
    sum_x2_x4: 1,
    sum_x3_y: 10,
  });
  assert.deepEqual(pick(rows, "treatment"), {
    n: 3,
    sum_x1: 12,
    sum_x2: 2,
    sum_x3: 0,
    sum_x4: 2,
    sum_x1_x1: 144,
    sum_x1_y: 0,
    sum_x2_x4: 1,
    sum_x3_y: 0,
  });
}

test("DuckDB: attribute covariates read the first exposure's value, with a missing indicator", async () => {
  const batch = compiled("duckdb");
  const db = await (await DuckDBInstance.create(":memory:")).connect();
  await db.run(
    `CREATE TABLE exposures AS SELECT * FROM (VALUES ${exposureRows}) t(unit_id, experiment, variant, ts, session_id, attributes, phase)`,
  );
  await db.run(`CREATE TABLE events AS SELECT * FROM (VALUES ${eventRows}) t(unit_id, session_id, event, ts, value, properties, event_id)`);
  assertSums((await db.runAndReadAll(batch.sql, batch.params as never)).getRowObjectsJson());
});

describe("PostgreSQL", () => {
  let cluster: PostgresCluster | undefined;
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await cluster?.stop();
  });

  test("attribute covariates give the same sums, a value that is not a number included", async () => {
    const client = new pg.Client({ connectionString: await cluster!.createDatabase("cupac_attributes") });
    await client.connect();
    try {
      await client.query(
        "CREATE TABLE exposures (unit_id text, experiment text, variant text, ts timestamp, session_id text, attributes text, phase int)",
      );
      await client.query(
        "CREATE TABLE events (unit_id text, session_id text, event text, ts timestamp, value double precision, properties text, event_id text)",
      );
      await client.query(`INSERT INTO exposures VALUES ${exposureRows}`);
      await client.query(`INSERT INTO events VALUES ${eventRows}`);
      const batch = compiled("postgres");
      assertSums((await client.query(batch.sql, batch.params as unknown[])).rows as Record<string, unknown>[]);
    } finally {
      await client.end();
    }
  });
});
