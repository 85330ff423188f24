// Engine failures of the analysis queries, as DuckDB and PostgreSQL word them, become diagnostics
// that name the table and column and point at `exp doctor`; nothing of the engine's dump is kept.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ANALYSIS_CODES } from "../../../src/analysis/codes.js";
import { explainQueryFailure } from "../../../src/analysis/inspect/engine-error.js";
import { diagnostic } from "../../../src/diagnostics/diagnostic.js";
import { DEFAULT_WAREHOUSE_LAYOUT } from "../../../src/workspace/build/settings.js";
import type { Settings } from "../../../src/workspace/model.js";

const settings = {
  warehouse: {
    tables: { ...DEFAULT_WAREHOUSE_LAYOUT.tables, events: "app_events" },
    columns: {
      exposures: DEFAULT_WAREHOUSE_LAYOUT.columns.exposures,
      events: { ...DEFAULT_WAREHOUSE_LAYOUT.columns.events, event: "name", ts: "occurred_at" },
    },
  },
} as Settings;

const failed = (message: string) => explainQueryFailure(diagnostic(ANALYSIS_CODES.queryFailed, message), settings);

describe("explaining a failed analysis query", () => {
  test("a missing column, DuckDB and PostgreSQL, names where it is read", () => {
    for (const message of [
      'The DuckDB query failed: Binder Error: Values list "x" does not have a column named "unit_id"\n\nLINE 8:   GROUP BY x."unit_id"',
      'The DuckDB query failed: Binder Error: Referenced column "name" not found in FROM clause!\nCandidate bindings: "event_nme"',
      "The PostgreSQL query failed: column e.name does not exist",
    ]) {
      const d = failed(message);
      assert.equal(d.code, "EXP6121", message);
      assert.match(
        d.message,
        /^The warehouse has no column "(unit_id|name)" \(read as "(exposures\.unit_id" and "app_events\.unit_id|app_events\.event)"\)/,
      );
      assert.match(d.suggestion!, /exp doctor/);
      assert.doesNotMatch(d.message, /Binder|LINE|Candidate/);
    }
  });

  test("a missing table", () => {
    for (const message of [
      'The DuckDB query failed: Catalog Error: Table with name exposures does not exist!\nDid you mean "pg_class"?',
      'The PostgreSQL query failed: relation "exposures" does not exist',
    ]) {
      const d = failed(message);
      assert.equal(d.code, "EXP6120", message);
      assert.match(d.message, /^The warehouse has no table "exposures"; /);
    }
  });

  test("a time function given a number names both time columns, without the 40 candidate signatures", () => {
    for (const message of [
      "The DuckDB query failed: Binder Error: No function matches the given name and argument types '-(BIGINT, INTERVAL)'. You might need to add explicit type casts.\n\tCandidate functions:\n\t-(TINYINT) -> TINYINT",
      "The PostgreSQL query failed: operator does not exist: bigint + interval",
    ]) {
      const d = failed(message);
      assert.equal(d.code, "EXP6123", message);
      assert.match(d.message, /\("exposures\.ts" or "app_events\.occurred_at"\); declare the unit of epoch numbers with ts_unit/);
      assert.match(d.suggestion!, /ts_unit: ms/);
      assert.doesNotMatch(d.message, /Candidate/);
    }
  });

  test("anything else keeps the engine's first line only", () => {
    const d = failed("The DuckDB query failed: Conversion Error: Could not convert string 'x' to INT32\n\nLINE 3: ...");
    assert.equal(d.code, "EXP6104");
    assert.equal(d.message, "The DuckDB query failed: Conversion Error: Could not convert string 'x' to INT32");
  });
});
