import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import pkg from "node-sql-parser";
import { compileExperimentSql, DIALECT_NAMES, type DialectName } from "../../../src/compiler/sql/index.js";
import { makeExperiment, makeMetric, makeWorkspace, makeSettings } from "./fixture-workspace.js";
import { scenarioWorkspace } from "../../analysis/scenario.js";

// Golden SQL of a metric with several CUPED covariates, per dialect (EXP_UPDATE_SNAPSHOTS=1 regenerates).
const DIR = join(dirname(fileURLToPath(import.meta.url)), "__snapshots__", "cupac");
const UPDATE = process.env["EXP_UPDATE_SNAPSHOTS"] === "1";
const PARSER_DB: Partial<Record<DialectName, string>> = { bigquery: "bigquery", snowflake: "snowflake", trino: "trino" };

/** The scenario's workspace plus a mean metric (a unit may have no value) adjusted on a conversion and a filtered count. */
function cupacWorkspace() {
  const base = scenarioWorkspace();
  const metric = {
    ...makeMetric("avg_rev_cupac", "mean(purchase.revenue)", { windowDays: 1, cuped: true }),
    cuped_covariates: ["conv", "early_loads"],
  };
  const metrics = [...base.workspace.metrics.values(), metric];
  const experiment = makeExperiment("exp1", [metric.key]);
  return { workspace: makeWorkspace({ settings: base.workspace.settings, metrics, experiments: [experiment] }), experiment };
}

function compile(dialect: DialectName) {
  const { workspace, experiment } = cupacWorkspace();
  return compileExperimentSql({ workspace, experiment, dialect, asOf: "2026-12-20T00:00:00Z" });
}

describe("SQL of a metric with several CUPED covariates", () => {
  for (const dialect of DIALECT_NAMES) {
    test(`${dialect} matches its golden file`, () => {
      const compiled = compile(dialect);
      assert.deepEqual(compiled.diagnostics, []);
      const sql = `${compiled.batch!.sql};\n-- params: ${JSON.stringify(compiled.batch!.params)}\n`;
      const file = join(DIR, `${dialect}.sql`);
      if (UPDATE || !existsSync(file)) {
        assert.ok(UPDATE, `missing snapshot ${file}; run with EXP_UPDATE_SNAPSHOTS=1`);
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, sql);
      }
      assert.equal(sql, readFileSync(file, "utf8"));
    });
  }

  for (const [dialect, db] of Object.entries(PARSER_DB) as [DialectName, string][]) {
    test(`${dialect} query parses with node-sql-parser (${db})`, () => {
      const ast = new pkg.Parser().astify(compile(dialect).batch!.sql, { database: db });
      assert.equal(Array.isArray(ast) ? ast.length : 1, 1);
    });
  }

  test("the columns name the covariates in order, and the query returns every cross product once", () => {
    const compiled = compile("duckdb");
    const cols = compiled.batch!.columns.find((c) => c.metric === "avg_rev_cupac")!;
    assert.equal(cols.shape, "cupac");
    assert.deepEqual(cols.covariates, ["avg_rev_cupac", "conv", "early_loads"]);
    const products = [...compiled.batch!.sql.matchAll(/AS m0_(sum_x\d+_x\d+)/g)].map((m) => m[1]);
    assert.deepEqual(products, ["sum_x0_x0", "sum_x0_x1", "sum_x0_x2", "sum_x1_x1", "sum_x1_x2", "sum_x2_x2"]);
  });

  test("a covariate the model does not know is a diagnostic, not a crash", () => {
    const metric = { ...makeMetric("rev", "sum(purchase.revenue)", { windowDays: 1, cuped: true }), cuped_covariates: ["missing"] };
    const experiment = makeExperiment("exp1", [metric.key]);
    const workspace = makeWorkspace({ settings: makeSettings(), metrics: [metric], experiments: [experiment] });
    const compiled = compileExperimentSql({ workspace, experiment, dialect: "duckdb" });
    assert.deepEqual(
      compiled.diagnostics.map((d) => d.message),
      ['The CUPED covariate "missing" of "rev" is not a conversion, count, sum or mean metric; fix its name in cuped.covariates.'],
    );
  });

  test("an attribute covariate adds its value and a missing indicator, read at the first exposure", () => {
    const base = cupacWorkspace();
    const metric = { ...base.workspace.metrics.get("avg_rev_cupac")!, cuped_attributes: [{ attribute: "age_days", index: 2 }] };
    const settings = { ...base.workspace.settings, attributes: { ...base.workspace.settings.attributes, age_days: "number" as const } };
    const metrics = [...base.workspace.metrics.values()].map((m) => (m.key === metric.key ? metric : m));
    const workspace = makeWorkspace({ settings, metrics, experiments: [base.experiment] });
    for (const dialect of DIALECT_NAMES) {
      const compiled = compileExperimentSql({ workspace, experiment: base.experiment, dialect, asOf: "2026-12-20T00:00:00Z" });
      assert.deepEqual(compiled.diagnostics, [], dialect);
      const cols = compiled.batch!.columns.find((c) => c.metric === "avg_rev_cupac")!;
      assert.deepEqual(cols.covariates, ["avg_rev_cupac", "conv", "early_loads", "attribute age_days", "attribute age_days missing"]);
      assert.match(compiled.batch!.sql, /m\d_sum_x3_x4/, dialect);
      assert.match(compiled.batch!.sql, /AS m\d_x4\b/, dialect);
    }
  });

  test("an attribute that is not a number or boolean is a diagnostic, not a crash", () => {
    const base = cupacWorkspace();
    const metric = { ...base.workspace.metrics.get("avg_rev_cupac")!, cuped_attributes: [{ attribute: "nowhere", index: 0 }] };
    const metrics = [...base.workspace.metrics.values()].map((m) => (m.key === metric.key ? metric : m));
    const workspace = makeWorkspace({ settings: base.workspace.settings, metrics, experiments: [base.experiment] });
    const compiled = compileExperimentSql({ workspace, experiment: base.experiment, dialect: "duckdb" });
    assert.deepEqual(
      compiled.diagnostics.map((d) => d.message),
      [
        'The CUPED covariate { attribute: "nowhere" } of "avg_rev_cupac" is not a declared number or boolean attribute; fix it in cuped.covariates.',
      ],
    );
  });
});
