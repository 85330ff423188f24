import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseAsOf } from "../../../src/compiler/sql/index.js";
import { dialects } from "../../../src/compiler/sql/dialects/index.js";
import { numberLiteral } from "../../../src/compiler/sql/params.js";
import { toIsoTimestamp, toNumber, readStats } from "../../../src/analysis/stats-rows.js";
import { compileExperimentSql } from "../../../src/compiler/sql/index.js";
import { SourceFile } from "../../../src/diagnostics/source.js";
import { parseCondition, wholeFileOrigin } from "../../../src/dsl/index.js";
import { conditionSql } from "../../../src/compiler/sql/condition.js";
import { createContext } from "../../../src/compiler/sql/context.js";
import { makeExperiment, makeMetric, makeSettings, makeWorkspace } from "./fixture-workspace.js";

describe("dialect spellings", () => {
  test("string literals per engine", () => {
    assert.equal(dialects.duckdb.stringLiteral("it's \\ ok"), "'it''s \\ ok'");
    assert.equal(dialects.trino.stringLiteral("it's"), "'it''s'");
    // Postgres switches to E'' only when a backslash appears, so standard_conforming_strings cannot matter.
    assert.equal(dialects.postgres.stringLiteral("it's"), "'it''s'");
    assert.equal(dialects.postgres.stringLiteral("a\\'b"), "E'a\\\\''b'");
    assert.equal(dialects.bigquery.stringLiteral("it's\\\n"), "'it\\'s\\\\\\u000a'");
    assert.equal(dialects.snowflake.stringLiteral("it's\\\t"), "'it''s\\\\\\x09'");
  });

  test("identifiers are always quoted, with the quote character escaped", () => {
    assert.equal(dialects.duckdb.quoteIdentifier('we"ird'), '"we""ird"');
    assert.equal(dialects.bigquery.quoteIdentifier("we`ird"), "`we\\`ird`");
    const settings = makeSettings({ tables: { exposures: "analytics.exposures", events: 'raw."events"' } });
    const m = makeMetric("c", "count(page_view)");
    const e = makeExperiment("x", ["c"]);
    const sql = compileExperimentSql({
      workspace: makeWorkspace({ settings, metrics: [m], experiments: [e] }),
      experiment: e,
      dialect: "postgres",
    }).metrics[0]!.sql;
    assert.match(sql, /FROM "analytics"\."exposures" AS x/);
    assert.match(sql, /JOIN "raw"\."""events""" AS e/);
  });

  test("a table name with a control character is a diagnostic", () => {
    const settings = makeSettings({ tables: { exposures: "exposures", events: "ev\nents" } });
    const m = makeMetric("c", "count(page_view)");
    const e = makeExperiment("x", ["c"]);
    const r = compileExperimentSql({
      workspace: makeWorkspace({ settings, metrics: [m], experiments: [e] }),
      experiment: e,
      dialect: "duckdb",
    });
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ["EXP6008"],
    );
  });

  test("time arithmetic per engine", () => {
    assert.equal(dialects.postgres.addSeconds("t", -60), "t - INTERVAL '60 seconds'");
    assert.equal(dialects.bigquery.addSeconds("t", 60), "TIMESTAMP_ADD(t, INTERVAL 60 SECOND)");
    assert.equal(dialects.snowflake.addSeconds("t", 60), "DATEADD(second, 60, t)");
    assert.equal(dialects.trino.addSeconds("t", -60), "date_add('second', -60, t)");
  });

  test("negative numbers cannot form a comment marker", () => {
    assert.equal(numberLiteral(-5), "(-5)");
    assert.equal(`x - ${numberLiteral(-5)}`.includes("--"), false);
    assert.throws(() => numberLiteral(Number.NaN));
  });

  test("as-of times are read as UTC", () => {
    const d: never[] = [];
    assert.equal(parseAsOf("2026-12-15", d), "2026-12-15 00:00:00.000");
    assert.equal(parseAsOf("2026-12-15T10:30:00Z", d), "2026-12-15 10:30:00.000");
    assert.equal(parseAsOf("2026-12-15 10:30", d), "2026-12-15 10:30:00.000");
    assert.equal(parseAsOf("2026-12-15T10:30:00+02:00", d), "2026-12-15 08:30:00.000");
    const bad: { code: string }[] = [];
    assert.equal(parseAsOf("last tuesday", bad as never[]), undefined);
    assert.deepEqual(
      bad.map((x) => x.code),
      ["EXP6007"],
    );
  });
});

describe("warehouse values to numbers", () => {
  test("bigint, numeric strings and empty sums", () => {
    assert.equal(toNumber(12345678901234567890n), 12345678901234567000);
    assert.equal(toNumber("1.5e3"), 1500);
    assert.equal(toNumber(null), 0);
    assert.throws(() => toNumber("abc"));
    assert.equal(toIsoTimestamp(new Date(Date.UTC(2026, 11, 1))), "2026-12-01T00:00:00.000Z");
    assert.equal(toIsoTimestamp("2026-12-01 05:00:00"), "2026-12-01T05:00:00.000Z");
  });

  test("a variant with no row reads as empty statistics; a quantile without events as NaN", () => {
    assert.deepEqual(readStats({ metric: "m", shape: "ratio", prefix: "m0" }, undefined).stats, {
      kind: "ratio",
      n: 0,
      sumNum: 0,
      sumDen: 0,
      sumNum2: 0,
      sumDen2: 0,
      sumNumDen: 0,
    });
    const q = readStats({ metric: "m", shape: "quantile", prefix: "m1", quantile: 0.9 }, undefined).stats;
    assert.equal(q.kind, "quantile");
    assert.ok(q.kind === "quantile" && Number.isNaN(q.value));
  });
});

describe("event filter functions", () => {
  test("lower() compiles; targeting-only functions are refused with a span", () => {
    const m = makeMetric("s", 'count(signup where lower(plan) == "pro")');
    const e = makeExperiment("x", ["s"]);
    const ok = compileExperimentSql({ workspace: makeWorkspace({ metrics: [m], experiments: [e] }), experiment: e, dialect: "duckdb" });
    assert.deepEqual(ok.diagnostics, []);
    assert.match(ok.metrics[0]!.sql, /LOWER\(json_extract_string\(e\."properties", '\$\.plan'\)\) = \$3/);

    const text = 'segment("staff")';
    const parsed = parseCondition(text, wholeFileOrigin(new SourceFile("metrics/s.yaml", text)));
    const ctx = createContext(dialects.duckdb, makeSettings(), { inline: false });
    assert.equal(conditionSql(ctx, "signup", parsed.expr!), undefined);
    assert.deepEqual(
      ctx.diagnostics.map((d) => [d.code, d.span?.column]),
      [["EXP6004", 1]],
    );
  });
});
