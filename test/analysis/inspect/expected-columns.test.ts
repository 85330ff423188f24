import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { guessColumn, typeKind } from "../../../src/analysis/inspect/expected-columns.js";
import { epochUnit } from "../../../src/analysis/inspect/time-range.js";

describe("guessing the column that holds a standard one", () => {
  test("a known other name, a name that starts like it, a near spelling, or nothing", () => {
    assert.equal(guessColumn("unit_id", ["user_id", "ts"]), "user_id");
    assert.equal(guessColumn("unit_id", ["USER_ID"]), "USER_ID");
    assert.equal(guessColumn("event", ["event_nme", "ts"]), "event_nme");
    assert.equal(guessColumn("variant", ["experiment", "variatn"]), "variatn");
    assert.equal(guessColumn("ts", ["created_at", "ts_ms"]), "created_at");
    assert.equal(guessColumn("experiment", ["amount", "country"]), undefined);
  });
});

describe("epoch numbers by magnitude", () => {
  test("10 digits are seconds, 13 milliseconds, 16 microseconds, anything else is not a time", () => {
    assert.equal(epochUnit(1733400000), "s");
    assert.equal(epochUnit(1733400000000), "ms");
    assert.equal(epochUnit(42), undefined);
    assert.equal(epochUnit(1733400000000000), "us");
    assert.equal(epochUnit(1733400000000000000), undefined);
    assert.equal(epochUnit(undefined), undefined);
  });
});

describe("catalogue types", () => {
  test("DuckDB and PostgreSQL spellings", () => {
    assert.equal(typeKind("TIMESTAMP WITH TIME ZONE"), "time");
    assert.equal(typeKind("timestamp without time zone"), "time");
    assert.equal(typeKind("BIGINT"), "number");
    assert.equal(typeKind("double precision"), "number");
    assert.equal(typeKind("VARCHAR"), "text");
    assert.equal(typeKind("character varying"), "text");
    assert.equal(typeKind("JSON"), "json");
  });
});
