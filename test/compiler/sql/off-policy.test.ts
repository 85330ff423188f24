import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import pkg from "node-sql-parser";
import { DIALECT_NAMES, dialects, offPolicySumsSql, type DialectName } from "../../../src/compiler/sql/index.js";
import type { Evaluation } from "../../../src/workspace/evaluation.js";

// Golden off-policy SQL per dialect (DuckDB and Postgres also run for real in test/e2e/analysis/off-policy.test.ts).
// Regenerate after an intended change with EXP_UPDATE_SNAPSHOTS=1.
const DIR = join(dirname(fileURLToPath(import.meta.url)), "__snapshots__", "off-policy");
const UPDATE = process.env["EXP_UPDATE_SNAPSHOTS"] === "1";
const PARSER_DB: Partial<Record<DialectName, string>> = { bigquery: "bigquery", snowflake: "snowflake", trino: "trino" };

const evaluation: Evaluation = {
  key: "ranker_offline",
  table: "analytics.decisions",
  columns: {
    unit: "unit_id",
    context: "request_id",
    action: "item",
    logging_propensity: "p_log",
    target_propensity: "p_new",
    reward: "clicked",
    reward_estimate: "q_logged",
    target_estimate: "q_new",
  },
  clip: 12.5,
  propensity_floor: 0.01,
  min_effective_sample_size: 100,
  alpha: 0.05,
  origin: { file: "evaluations/ranker_offline.yaml", values: {}, keys: {} },
};

describe("off-policy sums SQL", () => {
  for (const dialect of DIALECT_NAMES) {
    test(`${dialect} matches its golden file`, () => {
      const file = join(DIR, `${dialect}.sql`);
      const sql = `${offPolicySumsSql(dialects[dialect], evaluation)};\n`;
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
      const parser = new pkg.Parser();
      for (const e of [evaluation, { ...evaluation, clip: undefined, columns: { ...evaluation.columns, reward_estimate: undefined } }]) {
        const ast = parser.astify(offPolicySumsSql(dialects[dialect], e as Evaluation), { database: db });
        assert.equal(Array.isArray(ast) ? ast.length : 1, 1);
      }
    });
  }

  test("without a reward model there are no DR sums, without a cap nothing is clipped", () => {
    const { reward_estimate: _r, target_estimate: _t, ...columns } = evaluation.columns;
    const sql = offPolicySumsSql(dialects.duckdb, { ...evaluation, columns, clip: undefined });
    assert.doesNotMatch(sql, /sum_d|q_logged/);
    assert.match(sql, /CAST\(0 AS DOUBLE\) AS clipped/);
    assert.match(sql, /^-- exp:off_policy_sums ranker_offline\n/);
  });
});
