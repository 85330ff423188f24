// The ClickHouse dialect as SQL text: `exp sql --dialect clickhouse`, the inlined common tables,
// the events-first join, the quantile refusal, and the literal quoting. The cluster test
// (test/e2e/analysis/clickhouse-analysis.test.ts) runs the same SQL on 18.16.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { renderSqlCommand } from "../../../src/cli/sql.js";
import { clickhouseString } from "../../../src/compiler/sql/dialects/clickhouse.js";
import { inlineCommonTables } from "../../../src/compiler/sql/inline-ctes.js";
import { loadWorkspace } from "../../../src/workspace/load.js";
import type { Workspace } from "../../../src/workspace/model.js";
import { scanLiteral } from "./literal-lexer.js";
import { INJECTION_PAYLOADS } from "./payloads.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
let workspace: Workspace;

describe("exp sql --dialect clickhouse", () => {
  before(async () => {
    const loaded = await loadWorkspace(ROOT);
    assert.ok(loaded.value, JSON.stringify(loaded.diagnostics));
    workspace = loaded.value;
  });

  test("prints the batch query with every block inlined, no WITH, and the events driving the join", () => {
    const r = renderSqlCommand(workspace, "checkout_redesign", {
      dialect: "clickhouse",
      metric: "purchase_conversion",
      batch: true,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /^WITH$/m);
    assert.doesNotMatch(r.stdout, /\bOVER \(/);
    for (const block of ["exposure_units", "exposure_summary", "first_exposure", "unit_values", "unit_metrics", "sufficient_stats"])
      assert.match(r.stdout, new RegExp(`-- exp:${block}\\n`), block);
    assert.match(r.stdout, /FROM "events" AS e\n\s*GLOBAL ALL INNER JOIN \(\n/);
    assert.match(r.stdout, /\) AS f USING unit_id\n/);
    assert.match(r.stdout, /x\."experiment" = 'checkout_redesign'/);
    assert.match(r.stdout, /CROSS JOIN \(\n[\s\S]*\) AS t\n/);
  });

  test("a quantile metric is EXP6010, which names the metric and the dialect", () => {
    const r = renderSqlCommand(workspace, "checkout_redesign", { dialect: "clickhouse" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /EXP6010/);
    assert.match(r.stderr, /"p95_page_load" is a quantile, which the "clickhouse" dialect cannot compute/);
    assert.match(r.stderr, /metrics\/p95_page_load\.yaml/);
  });
});

describe("inlining common tables", () => {
  test("each reference becomes the subquery under its alias, nested tables first, a table read twice written twice", () => {
    const sql = [
      "-- exp:head",
      "WITH",
      "-- exp:a",
      "a AS (",
      "  SELECT 1 AS v",
      "),",
      "b AS (",
      "  SELECT v FROM a",
      ")",
      "SELECT * FROM b AS x",
      "JOIN a ON a.v = x.v",
      "CROSS JOIN b AS y;",
    ].join("\n");
    assert.equal(
      inlineCommonTables(sql),
      [
        "-- exp:head",
        "SELECT * FROM (",
        "  SELECT v FROM (",
        "    -- exp:a",
        "    SELECT 1 AS v",
        "  ) AS a",
        ") AS x",
        "JOIN (",
        "  -- exp:a",
        "  SELECT 1 AS v",
        ") AS a ON a.v = x.v",
        "CROSS JOIN (",
        "  SELECT v FROM (",
        "    -- exp:a",
        "    SELECT 1 AS v",
        "  ) AS a",
        ") AS y;",
      ].join("\n"),
    );
  });

  test("a query without WITH is unchanged; names that only start like a table are left alone", () => {
    assert.equal(inlineCommonTables("SELECT 1 FROM t"), "SELECT 1 FROM t");
    const sql = ["WITH", "t AS (", "  SELECT 1 AS v", ")", 'SELECT * FROM t_other JOIN "t" AS q ON TRUE'].join("\n");
    assert.equal(inlineCommonTables(sql), 'SELECT * FROM t_other JOIN "t" AS q ON TRUE');
  });

  test("an unterminated table is a bug, not SQL", () => {
    assert.throws(() => inlineCommonTables("WITH\nt AS (\n  SELECT 1"), /unterminated common table "t"/);
  });
});

describe("ClickHouse string literals", () => {
  test("every payload is one literal with no raw control character that reads back exactly", () => {
    for (const payload of [...INJECTION_PAYLOADS, "\u0001\u001f\u007f", "a\\'b"]) {
      const lit = clickhouseString(payload);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(lit, /[\u0000-\u001f\u007f]/);
      const read = scanLiteral(lit, 0, "snowflake");
      assert.equal(read.value, payload);
      assert.equal(read.end, lit.length);
    }
  });
});
