import { DuckDBInstance } from "@duckdb/node-api";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pkg from "node-sql-parser";
import { DuckDbWarehouse } from "../../../../src/analysis/duckdb-warehouse.js";
import { PostgresWarehouse } from "../../../../src/analysis/postgres-warehouse.js";
import type { Warehouse } from "../../../../src/analysis/warehouse.js";
import { compileExperimentSql, DIALECT_NAMES, dialects, type DialectName } from "../../../../src/compiler/sql/index.js";
import { loadScenario, type EventRow, type ExposureRow } from "../../../analysis/scenario.js";
import { type PostgresCluster, startPostgres } from "../../../helpers/postgres.js";
import { makeExperiment, makeMetric, makeWorkspace } from "../../../compiler/sql/fixture-workspace.js";
import { type LiteralRules, scanLiteral } from "../../../compiler/sql/literal-lexer.js";
import { INJECTION_PAYLOADS } from "../../../compiler/sql/payloads.js";

const RULES: Record<DialectName, LiteralRules> = {
  duckdb: "standard",
  postgres: "postgres",
  bigquery: "bigquery",
  snowflake: "snowflake",
  trino: "standard",
  // Backslash escapes (\\, \', \xHH) inside '…', as Snowflake reads them.
  clickhouse: "snowflake",
};
const PARSER_DB: Partial<Record<DialectName, string>> = { bigquery: "bigquery", snowflake: "snowflake", trino: "trino" };

/** One metric per payload: count the signups whose plan equals it exactly. */
function payloadWorkspace() {
  const metrics = INJECTION_PAYLOADS.map((p, i) => makeMetric(`eq_${i}`, `count(signup where plan == ${JSON.stringify(p)})`));
  const experiment = makeExperiment(
    "inj",
    metrics.map((m) => m.key),
  );
  return { workspace: makeWorkspace({ metrics, experiments: [experiment] }), experiment };
}

describe("string literals in event filters cannot escape their quotes", () => {
  const { workspace, experiment } = payloadWorkspace();
  const parser = new pkg.Parser();

  for (const name of DIALECT_NAMES) {
    test(`${name}: every payload is one literal token that reads back exactly`, () => {
      const d = dialects[name];
      const compiled = compileExperimentSql({ workspace, experiment, dialect: name, inlineParams: true });
      assert.deepEqual(compiled.diagnostics, []);
      const prop = d.jsonText(`e.${d.quoteIdentifier("properties")}`, "plan");
      for (const [i, payload] of INJECTION_PAYLOADS.entries()) {
        const sql = compiled.metrics[i]!.sql;
        const marker = `(${prop} = `;
        const at = sql.indexOf(marker);
        assert.ok(at >= 0, `filter not found for ${JSON.stringify(payload)}`);
        const lit = scanLiteral(sql, at + marker.length, RULES[name]);
        assert.equal(lit.value, payload);
        assert.equal(sql[lit.end], ")", `literal for ${JSON.stringify(payload)} does not end where the filter does`);
        assert.equal(sql.indexOf(marker, at + 1), -1);
      }
    });
  }

  for (const [name, db] of Object.entries(PARSER_DB) as [DialectName, string][]) {
    test(`${name}: node-sql-parser (${db}) reads each query as one statement`, () => {
      const compiled = compileExperimentSql({ workspace, experiment, dialect: name });
      let parsed = 0;
      for (const [i, payload] of INJECTION_PAYLOADS.entries()) {
        // node-sql-parser treats a backslash as an escape in every grammar; Trino does not, so a
        // backslash before a closing quote is checked by the standard-SQL lexer above instead.
        if (name === "trino" && payload.includes("\\")) continue;
        const ast = parser.astify(compiled.metrics[i]!.sql, { database: db });
        assert.equal(Array.isArray(ast) ? ast.length : 1, 1, `payload ${JSON.stringify(payload)} split the statement`);
        parsed++;
      }
      const expected = name === "trino" ? INJECTION_PAYLOADS.filter((p) => !p.includes("\\")).length : INJECTION_PAYLOADS.length;
      assert.equal(parsed, expected);
    });
  }

  test("a NUL character is refused with a diagnostic", () => {
    const m = makeMetric("nul", 'count(signup where plan == "a\\u0000b")');
    const e = makeExperiment("inj", ["nul"]);
    for (const name of DIALECT_NAMES) {
      const compiled = compileExperimentSql({ workspace: makeWorkspace({ metrics: [m], experiments: [e] }), experiment: e, dialect: name });
      assert.deepEqual(
        compiled.diagnostics.map((d) => d.code),
        ["EXP6005"],
      );
      assert.equal(compiled.metrics.length, 0);
    }
  });
});

/** Each payload on two units, and near misses (prefix, suffix, case, trailing space) on others. */
function payloadRows(): { exposures: ExposureRow[]; events: EventRow[] } {
  const exposures: ExposureRow[] = [];
  const events: EventRow[] = [];
  const signup = (unit: string, plan: string): EventRow => ({ unit, event: "signup", ts: 60_000, props: { plan } });
  INJECTION_PAYLOADS.forEach((p, i) => {
    exposures.push(
      { unit: `hit${i}`, experiment: "inj", variant: "treatment", ts: 0 },
      { unit: `miss${i}`, experiment: "inj", variant: "control", ts: 0 },
    );
    events.push(signup(`hit${i}`, p), signup(`hit${i}`, p));
    // Dropping the last code point, not code unit, keeps surrogate pairs whole.
    const shorter = Array.from(p).slice(0, -1).join("");
    for (const near of [`${p} `, ` ${p}`, shorter, `x${p}`, p.toUpperCase(), `${p}'`]) events.push(signup(`miss${i}`, near));
  });
  return { exposures, events };
}

function expectedCounts(events: EventRow[], exposures: ExposureRow[], payload: string): Record<string, number> {
  const variantOf = new Map(exposures.map((x) => [x.unit, x.variant]));
  const out: Record<string, number> = { control: 0, treatment: 0 };
  for (const e of events) if ((e.props as { plan: string }).plan === payload) out[variantOf.get(e.unit)!]! += 1;
  return out;
}

async function checkOnEngine(w: Warehouse): Promise<void> {
  const { exposures, events } = payloadRows();
  await loadScenario(w, exposures, events);
  const { workspace, experiment } = payloadWorkspace();
  for (const inlineParams of [false, true]) {
    const compiled = compileExperimentSql({ workspace, experiment, dialect: w.dialect, inlineParams });
    assert.deepEqual(compiled.diagnostics, []);
    assert.equal(compiled.batch!.params.length, inlineParams ? 0 : INJECTION_PAYLOADS.length + 2);
    const rows = await w.query(compiled.batch!.sql, compiled.batch!.params);
    for (const [i, payload] of INJECTION_PAYLOADS.entries()) {
      const want = expectedCounts(events, exposures, payload);
      for (const variant of ["control", "treatment"]) {
        const row = rows.find((r) => r["variant"] === variant)!;
        assert.equal(row[`m${i}_sum`], want[variant], `${inlineParams ? "inlined" : "bound"} ${JSON.stringify(payload)} in ${variant}`);
      }
    }
  }
  // The tables survived every payload.
  assert.equal(Number((await w.query("SELECT COUNT(*) AS n FROM events"))[0]!["n"]), events.length);
}

describe("payloads match exactly their own rows on real engines", () => {
  let cluster: PostgresCluster;
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await cluster?.stop();
  });

  test("DuckDB, bound and inlined", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    try {
      await checkOnEngine(DuckDbWarehouse.fromConnection(await instance.connect()));
    } finally {
      instance.closeSync();
    }
  });

  test("PostgreSQL, bound and inlined", async () => {
    const w = await PostgresWarehouse.open(await cluster.createDatabase("injection"));
    try {
      await checkOnEngine(w);
    } finally {
      await w.close();
    }
  });
});
