import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import pkg from "node-sql-parser";
import { compileExperimentSql, DIALECT_NAMES, type DialectName } from "../../../src/compiler/sql/index.js";
import { scenarioWorkspace } from "../../analysis/scenario.js";

// Golden per-slice SQL per dialect (docs/analysis.md#dimensions). Regenerate after an intended change
// with EXP_UPDATE_SNAPSHOTS=1.
const DIR = join(dirname(fileURLToPath(import.meta.url)), "__snapshots__");
const UPDATE = process.env["EXP_UPDATE_SNAPSHOTS"] === "1";
const PARSER_DB: Partial<Record<DialectName, string>> = { bigquery: "bigquery", snowflake: "snowflake", trino: "trino" };

function compileSlices(dialect: DialectName) {
  const { workspace, experiment } = scenarioWorkspace();
  return compileExperimentSql({
    workspace,
    experiment,
    dialect,
    metric: ["conv", "revenue", "ctr", "revenue_cuped"],
    asOf: "2026-12-20T00:00:00Z",
    dimension: "country",
    products: [["conv", "revenue"]],
  });
}

describe("per-slice SQL", () => {
  for (const dialect of DIALECT_NAMES) {
    test(`${dialect} matches its golden file`, () => {
      const compiled = compileSlices(dialect);
      assert.deepEqual(compiled.diagnostics, []);
      const q = compiled.slices!;
      const sql = `${q.sql};\n-- params: ${JSON.stringify(q.params)}\n`;
      const file = join(DIR, `slices-${dialect}.sql`);
      if (UPDATE || !existsSync(file)) {
        assert.ok(UPDATE, `missing snapshot ${file}; run with EXP_UPDATE_SNAPSHOTS=1`);
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, sql);
      }
      assert.equal(sql, readFileSync(file, "utf8"));
    });
  }

  for (const [dialect, db] of Object.entries(PARSER_DB) as [DialectName, string][]) {
    test(`${dialect} parses with node-sql-parser (${db})`, () => {
      const ast = new pkg.Parser().astify(compileSlices(dialect).slices!.sql, { database: db });
      assert.equal(Array.isArray(ast) ? ast.length : 1, 1);
    });
  }

  test("the unit's slice is its attribute at first exposure, grouped with the variant; products are named by both metrics", () => {
    const compiled = compileSlices("duckdb");
    const q = compiled.slices!;
    assert.match(q.sql, /-- exp:unit_slice\n/);
    assert.match(q.sql, /-- exp:slice_stats\n/);
    assert.match(q.sql, /x\."ts" = f0\.first_exposure/);
    assert.match(q.sql, /GROUP BY variant, slice/);
    assert.deepEqual(
      q.columns.map((c) => c.metric),
      ["conv", "revenue", "ctr", "revenue_cuped"],
    );
    assert.deepEqual(q.products, [{ metrics: ["conv", "revenue"], column: "m0_m1_product" }]);
    assert.match(q.sql, /SUM\(m0_y \* m1_y\) AS m0_m1_product/);
  });

  test("without a dimension there is no per-slice query", () => {
    const { workspace, experiment } = scenarioWorkspace();
    assert.equal(compileExperimentSql({ workspace, experiment, dialect: "duckdb" }).slices, undefined);
  });
});
