import { DuckDBInstance } from "@duckdb/node-api";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openWarehouse } from "../../src/analysis/connect.js";
import { DuckDbWarehouse } from "../../src/analysis/duckdb-warehouse.js";
import { fetchSufficientStats } from "../../src/analysis/fetch-stats.js";
import type { Warehouse } from "../../src/analysis/warehouse.js";
import type { Settings } from "../../src/workspace/model.js";
import { makeExperiment, makeMetric, makeSettings, makeWorkspace } from "../compiler/sql/fixture-workspace.js";
import { loadScenario } from "./scenario.js";

const metrics = [makeMetric("conv", "any(purchase)", { windowDays: 1 })];
const experiment = makeExperiment("exp1", ["conv"]);
function workspaceWith(connections: Settings["warehouse"]["connections"], root: string) {
  return { ...makeWorkspace({ settings: makeSettings({ default: "main", connections }), metrics, experiments: [experiment] }), root };
}

let dir: string;

/** Writes the scenario tables to Parquet (exposures) and CSV (events) files under `dir`. */
async function writeFiles(): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const w = DuckDbWarehouse.fromConnection(await instance.connect());
  await loadScenario(w);
  mkdirSync(join(dir, "data", "events"), { recursive: true });
  await w.query(`COPY exposures TO '${join(dir, "data", "exposures_2026.parquet")}' (FORMAT parquet)`);
  await w.query(`COPY (SELECT * FROM events WHERE unit_id < 'u4') TO '${join(dir, "data", "events", "part-1.csv")}' (HEADER)`);
  await w.query(`COPY (SELECT * FROM events WHERE unit_id >= 'u4') TO '${join(dir, "data", "events", "part-2.csv")}' (HEADER)`);
  instance.closeSync();
}

describe("opening warehouses from exp.yaml connections", () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-wh-"));
    await writeFiles();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("files: globs become views named like the tables, and analyse like a database", async () => {
    const ws = workspaceWith({ main: { type: "duckdb", files: ["data/*.parquet", "data/events/*.csv"] } }, dir);
    const opened = await openWarehouse(ws);
    assert.deepEqual(opened.diagnostics, []);
    const w = opened.value!;
    try {
      const result = await fetchSufficientStats(w, ws, experiment);
      assert.deepEqual(result.diagnostics, []);
      assert.deepEqual(result.units, { control: 3, treatment: 3 });
      // Same hand-worked conversion as the database scenario: u1, u2 in control; u3, u6 in treatment.
      assert.deepEqual(result.metrics[0]!.variants, {
        control: { kind: "mean", n: 3, sum: 2, sumSq: 2 },
        treatment: { kind: "mean", n: 3, sum: 2, sumSq: 2 },
      });
    } finally {
      await w.close();
    }
  });

  test("a table without files is a diagnostic", async () => {
    const ws = workspaceWith({ main: { type: "duckdb", files: ["data/*.parquet"] } }, dir);
    const opened = await openWarehouse(ws);
    assert.equal(opened.value, undefined);
    assert.deepEqual(
      opened.diagnostics.map((d) => d.code),
      ["EXP6103"],
    );
    assert.match(opened.diagnostics[0]!.message, /"events"/);
  });

  test("a database file is opened read-only; a missing one is a diagnostic", async () => {
    const path = join(dir, "wh.duckdb");
    const instance = await DuckDBInstance.create(path);
    await loadScenario(DuckDbWarehouse.fromConnection(await instance.connect()));
    instance.closeSync();
    const ws = workspaceWith({ main: { type: "duckdb", path: "wh.duckdb" } }, dir);
    const opened = await openWarehouse(ws);
    const w = opened.value as Warehouse;
    try {
      assert.equal((await fetchSufficientStats(w, ws, experiment)).units["control"], 3);
      await assert.rejects(w.query("CREATE TABLE t (x INT)"), /read-only/i);
    } finally {
      await w.close();
    }
    const missing = await openWarehouse(workspaceWith({ main: { type: "duckdb", path: "nope.duckdb" } }, dir));
    assert.deepEqual(
      missing.diagnostics.map((d) => d.code),
      ["EXP6107"],
    );
  });

  test("postgres env: URL without the variable set is a clear diagnostic", async () => {
    const ws = workspaceWith({ main: { type: "postgres", url: "env:EXP_TEST_PG_URL_UNSET" } }, dir);
    const opened = await openWarehouse(ws, { env: {} });
    assert.equal(opened.value, undefined);
    assert.equal(opened.diagnostics[0]!.code, "EXP1040");
    assert.match(
      opened.diagnostics[0]!.message,
      /^"warehouse\.connections\.main\.url" reads the environment variable "EXP_TEST_PG_URL_UNSET", .*export EXP_TEST_PG_URL_UNSET/,
    );
  });

  test("an unknown connection suggests a known one; engines we cannot run say so", async () => {
    const ws = workspaceWith({ main: { type: "duckdb", path: ":memory:" }, warehouse: { type: "bigquery" } }, dir);
    const unknown = await openWarehouse(ws, { connection: "mian" });
    assert.equal(unknown.diagnostics[0]!.code, "EXP6101");
    assert.equal(unknown.diagnostics[0]!.suggestion, 'did you mean "main"?');
    const bq = await openWarehouse(ws, { connection: "warehouse" });
    assert.equal(bq.diagnostics[0]!.code, "EXP6105");
  });

  test("a failing query comes back as a diagnostic, not an exception", async () => {
    const opened = await openWarehouse(workspaceWith({ main: { type: "duckdb", path: ":memory:" } }, dir));
    try {
      const result = await fetchSufficientStats(opened.value!, workspaceWith({}, dir), experiment);
      assert.deepEqual(
        result.diagnostics.map((d) => d.code),
        ["EXP6120"],
      );
      assert.match(result.diagnostics[0]!.message, /no table "exposures"/);
    } finally {
      await opened.value!.close();
    }
  });

  test("exposures to undeclared variants are reported and left out", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    try {
      const w = DuckDbWarehouse.fromConnection(await instance.connect());
      await loadScenario(
        w,
        [
          { unit: "a", experiment: "exp1", variant: "control", ts: 0 },
          { unit: "b", experiment: "exp1", variant: "legacy", ts: 0 },
        ],
        [],
      );
      const result = await fetchSufficientStats(w, workspaceWith({}, dir), experiment);
      assert.deepEqual(result.units, { control: 1, treatment: 0 });
      assert.deepEqual(result.unknownVariants, { legacy: 1 });
      assert.deepEqual(
        result.diagnostics.map((d) => [d.code, d.severity]),
        [["EXP6106", "warning"]],
      );
      assert.deepEqual(result.metrics[0]!.variants["treatment"], { kind: "mean", n: 0, sum: 0, sumSq: 0 });
    } finally {
      instance.closeSync();
    }
  });
});
