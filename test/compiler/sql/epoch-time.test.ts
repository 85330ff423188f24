// `ts_unit`: a table whose `ts` holds epoch numbers is read through a subquery that adds the converted
// timestamp, in each engine's spelling; every block then reads that column. DuckDB and PostgreSQL run
// it end to end elsewhere (test/analysis/epoch-timestamps.test.ts, test/e2e/analysis/epoch-timestamps-postgres.test.ts);
// the engines we cannot run are pinned as text and parsed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import pkg from "node-sql-parser";
import { compileExperimentSql, DIALECT_NAMES, type DialectName } from "../../../src/compiler/sql/index.js";
import { dialects } from "../../../src/compiler/sql/dialects/index.js";
import type { EpochUnit } from "../../../src/workspace/model.js";
import { scenarioWorkspace } from "../../analysis/scenario.js";

function compile(dialect: DialectName, units: { exposures?: EpochUnit; events?: EpochUnit }) {
  const { workspace, experiment } = scenarioWorkspace();
  const settings = { ...workspace.settings, warehouse: { ...workspace.settings.warehouse, ts_units: units } };
  const compiled = compileExperimentSql({ workspace: { ...workspace, settings }, experiment, dialect, asOf: "2026-12-20T00:00:00Z" });
  assert.deepEqual(compiled.diagnostics, []);
  return compiled;
}

describe("epoch timestamps in SQL (ts_unit)", () => {
  test("each engine's conversion of seconds, milliseconds and microseconds", () => {
    const expected: Record<DialectName, Record<EpochUnit, string>> = {
      duckdb: {
        s: "make_timestamp(CAST(round(CAST(t AS DOUBLE) * 1000000) AS BIGINT))",
        ms: "make_timestamp(CAST(round(CAST(t AS DOUBLE) * 1000) AS BIGINT))",
        us: "make_timestamp(CAST(round(CAST(t AS DOUBLE) * 1) AS BIGINT))",
      },
      postgres: {
        s: "(to_timestamp(CAST(t AS DOUBLE PRECISION) / 1) AT TIME ZONE 'UTC')",
        ms: "(to_timestamp(CAST(t AS DOUBLE PRECISION) / 1000) AT TIME ZONE 'UTC')",
        us: "(to_timestamp(CAST(t AS DOUBLE PRECISION) / 1000000) AT TIME ZONE 'UTC')",
      },
      bigquery: {
        s: "TIMESTAMP_SECONDS(CAST(t AS INT64))",
        ms: "TIMESTAMP_MILLIS(CAST(t AS INT64))",
        us: "TIMESTAMP_MICROS(CAST(t AS INT64))",
      },
      snowflake: {
        s: "TO_TIMESTAMP_NTZ(CAST(t AS NUMBER(38, 0)), 0)",
        ms: "TO_TIMESTAMP_NTZ(CAST(t AS NUMBER(38, 0)), 3)",
        us: "TO_TIMESTAMP_NTZ(CAST(t AS NUMBER(38, 0)), 6)",
      },
      trino: {
        s: "CAST(from_unixtime(CAST(t AS DOUBLE) / 1, 'UTC') AS TIMESTAMP)",
        ms: "CAST(from_unixtime(CAST(t AS DOUBLE) / 1000, 'UTC') AS TIMESTAMP)",
        us: "CAST(from_unixtime(CAST(t AS DOUBLE) / 1000000, 'UTC') AS TIMESTAMP)",
      },
      clickhouse: {
        s: "toDateTime(toUInt32(floor(toFloat64(t) / 1)), 'UTC')",
        ms: "toDateTime(toUInt32(floor(toFloat64(t) / 1000)), 'UTC')",
        us: "toDateTime(toUInt32(floor(toFloat64(t) / 1000000)), 'UTC')",
      },
    };
    for (const dialect of DIALECT_NAMES)
      for (const unit of ["s", "ms", "us"] as const)
        assert.equal(dialects[dialect].timestampFromEpoch("t", unit), expected[dialect][unit], `${dialect} ${unit}`);
  });

  test("the declared table is read through a converting subquery, and every use of ts reads the converted column", () => {
    const compiled = compile("bigquery", { events: "ms" });
    const batch = compiled.batch!.sql;
    assert.match(batch, /JOIN \(SELECT r\.\*, TIMESTAMP_MILLIS\(CAST\(r\.`ts` AS INT64\)\) AS `exp_ts` FROM `events` AS r\) AS e/);
    assert.match(batch, /e\.`exp_ts`/);
    assert.doesNotMatch(batch, /e\.`ts`/);
    // The exposures were not declared: read as they are.
    assert.match(batch, /FROM `exposures` AS x/);
    assert.match(batch, /x\.`ts`/);
  });

  test("a remapped ts column is the one converted", () => {
    const { workspace, experiment } = scenarioWorkspace();
    const warehouse = workspace.settings.warehouse;
    const settings = {
      ...workspace.settings,
      warehouse: {
        ...warehouse,
        columns: { ...warehouse.columns, exposures: { ...warehouse.columns.exposures, ts: "exposed_ms" } },
        ts_units: { exposures: "ms" as const },
      },
    };
    const sql = compileExperimentSql({ workspace: { ...workspace, settings }, experiment, dialect: "snowflake" }).exposures.sql;
    assert.match(
      sql,
      /\(SELECT r\.\*, TO_TIMESTAMP_NTZ\(CAST\(r\."exposed_ms" AS NUMBER\(38, 0\)\), 3\) AS "exp_ts" FROM "exposures" AS r\) AS x/,
    );
    assert.doesNotMatch(sql, /x\."exposed_ms"/);
  });

  const PARSER_DB: Partial<Record<DialectName, string>> = { bigquery: "bigquery", snowflake: "snowflake", trino: "trino" };
  for (const [dialect, db] of Object.entries(PARSER_DB) as [DialectName, string][]) {
    test(`${dialect} queries over epoch tables parse with node-sql-parser (${db})`, () => {
      const compiled = compile(dialect, { exposures: "s", events: "ms" });
      const parser = new pkg.Parser();
      for (const q of [compiled.exposures, compiled.experiments, ...compiled.metrics, compiled.batch!]) {
        assert.match(q.sql, /exp_ts/);
        const ast = parser.astify(q.sql, { database: db });
        assert.equal(Array.isArray(ast) ? ast.length : 1, 1);
      }
    });
  }
});
