// The interleaving credit query of the example workspace's recs_interleaving, per dialect.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { compileExperimentSql, DIALECT_NAMES } from "../../../src/compiler/sql/index.js";
import { loadWorkspace } from "../../../src/workspace/load.js";
import type { Workspace } from "../../../src/workspace/model.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
let ws: Workspace;
before(async () => {
  ws = (await loadWorkspace(ROOT)).value!;
});

const compile = (dialect: (typeof DIALECT_NAMES)[number], key = "recs_interleaving") =>
  compileExperimentSql({ workspace: ws, experiment: ws.experiments.get(key)!, metric: [], dialect, asOf: "2026-12-01" });

test("DuckDB and PostgreSQL expand the lists and credit clicks per session, with bound values", () => {
  for (const dialect of ["duckdb", "postgres"] as const) {
    const q = compile(dialect).interleaving;
    assert.ok(q, dialect);
    assert.match(q.sql, /^-- exp:interleaving_credit recs_interleaving\n/);
    assert.match(q.sql, dialect === "duckdb" ? /unnest\(json_extract_string\(/ : /jsonb_array_elements_text\(/);
    assert.match(q.sql, /x\."session_id" AS unit_id/);
    for (const v of ["recs_interleaving", "interleaved", "recommendation_click", "collab_filter", "two_tower"])
      assert.ok(q.params.includes(v), `${dialect}: ${v}`);
  }
});

test("the other dialects have no credit query (the analysis reports EXP6017), and A/B experiments none at all", () => {
  for (const dialect of DIALECT_NAMES.filter((d) => d !== "duckdb" && d !== "postgres")) {
    const c = compile(dialect);
    assert.equal(c.interleaving, undefined, dialect);
    assert.deepEqual(c.diagnostics, []);
  }
  assert.equal(compile("duckdb", "checkout_redesign").interleaving, undefined);
});
