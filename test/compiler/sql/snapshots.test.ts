import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import pkg from "node-sql-parser";
import { compileExperimentSql, DIALECT_NAMES, dialects, type DialectName } from "../../../src/compiler/sql/index.js";
import { scenarioWorkspace } from "../../analysis/scenario.js";

// Golden SQL per dialect. Regenerate after an intended change with EXP_UPDATE_SNAPSHOTS=1.
const DIR = join(dirname(fileURLToPath(import.meta.url)), "__snapshots__");
const UPDATE = process.env["EXP_UPDATE_SNAPSHOTS"] === "1";
// Engines we cannot run here are parsed instead; node-sql-parser has grammars for all three.
const PARSER_DB: Partial<Record<DialectName, string>> = { bigquery: "bigquery", snowflake: "snowflake", trino: "trino" };

function render(dialect: DialectName): string {
  const { workspace, experiment } = scenarioWorkspace();
  // An engine without window functions has no quantile metrics (EXP6010): its golden file leaves them out.
  const metric = [...workspace.metrics.values()]
    .filter((m) => dialects[dialect].windowFunctions !== false || m.kind !== "quantile")
    .map((m) => m.key);
  const compiled = compileExperimentSql({ workspace, experiment, dialect, metric, asOf: "2026-12-20T00:00:00Z" });
  assert.deepEqual(compiled.diagnostics, []);
  const parts = [compiled.exposures, ...compiled.metrics, compiled.batch!].map(
    (q) => `${q.sql};\n-- params: ${JSON.stringify(q.params)}\n`,
  );
  return parts.join("\n");
}

describe("generated SQL snapshots", () => {
  for (const dialect of DIALECT_NAMES) {
    test(`${dialect} matches its golden file`, () => {
      const file = join(DIR, `${dialect}.sql`);
      const sql = render(dialect);
      if (UPDATE || !existsSync(file)) {
        assert.ok(UPDATE, `missing snapshot ${file}; run with EXP_UPDATE_SNAPSHOTS=1`);
        mkdirSync(DIR, { recursive: true });
        writeFileSync(file, sql);
      }
      assert.equal(sql, readFileSync(file, "utf8"));
    });
  }

  for (const [dialect, db] of Object.entries(PARSER_DB) as [DialectName, string][]) {
    test(`${dialect} queries parse with node-sql-parser (${db})`, () => {
      const { workspace, experiment } = scenarioWorkspace();
      const compiled = compileExperimentSql({ workspace, experiment, dialect, asOf: "2026-12-20T00:00:00Z" });
      const parser = new pkg.Parser();
      for (const q of [compiled.exposures, ...compiled.metrics, compiled.batch!]) {
        const ast = parser.astify(q.sql, { database: db });
        assert.equal(Array.isArray(ast) ? ast.length : 1, 1);
      }
    });
  }

  test("every query block names itself in a comment", () => {
    const { workspace, experiment } = scenarioWorkspace();
    const compiled = compileExperimentSql({ workspace, experiment, dialect: "duckdb" });
    for (const block of ["first_exposure", "unit_values", "cuped_pre_period", "unit_metrics", "sufficient_stats"])
      assert.match(compiled.batch!.sql, new RegExp(`-- exp:${block}\\n`));
    const quantile = compiled.metrics.find((m) => m.shape === "quantile")!;
    for (const block of ["first_exposure", "quantile_events", "quantile", "quantile_clusters"])
      assert.match(quantile.sql, new RegExp(`-- exp:${block}\\n`));
    assert.match(compiled.experiments.sql, /-- exp:experiment_list\n/);
    assert.match(compiled.exposures.sql, /-- exp:exposure_summary exp1\n/);
  });
});
