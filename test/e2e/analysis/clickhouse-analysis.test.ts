// `exp analyze` on a two-shard ClickHouse cluster (Distributed tables over MergeTree, co-sharded by
// cityHash64(unit_id)) gives DuckDB's answers on the same generated rows: the sufficient statistics
// and every estimate of the analysis document agree to 1e-9 relative.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ClickHouseWarehouse } from "../../../src/analysis/clickhouse-warehouse.js";
import { DuckDbWarehouse } from "../../../src/analysis/duckdb-warehouse.js";
import { fetchSufficientStats } from "../../../src/analysis/fetch-stats.js";
import type { Warehouse } from "../../../src/analysis/warehouse.js";
import { compileExperimentSql } from "../../../src/compiler/sql/index.js";
import { clickhouseString } from "../../../src/compiler/sql/dialects/clickhouse.js";
import { loadWorkspace } from "../../../src/workspace/load.js";
import { INJECTION_PAYLOADS } from "../../compiler/sql/payloads.js";
import { compareToReference, describeMismatches, ESTIMATE_TOLERANCE } from "../../analysis/compare.js";
import { loadClickHousePopulation, loadDuckDbPopulation, shardedPopulation } from "../../analysis/sharded-population.js";
import { startClickHouse, type ClickHouseCluster } from "../../helpers/clickhouse.js";
import { exampleRepo, exp } from "../../helpers/workspace.js";

const SEED = 20261101;
const DATABASE = "analytics";
const URL_ENV = "EXP_E2E_CH_URL";
const AS_OF = "2026-11-20T00:00:00Z";

describe("exp analyze on a sharded ClickHouse cluster", () => {
  let cluster: ClickHouseCluster;
  let dir: string;
  let env: Record<string, string>;

  before(async () => {
    cluster = await startClickHouse();
    dir = exampleRepo("exp-ch-ws-");
    const population = shardedPopulation(SEED);
    await loadDuckDbPopulation(join(dir, "warehouse.duckdb"), population);
    await loadClickHousePopulation(cluster, DATABASE, population);
    const yaml = readFileSync(join(dir, "exp.yaml"), "utf8").replace(
      "    local: {type: duckdb, path: .exp/warehouse.duckdb}\n",
      `    local: {type: duckdb, path: warehouse.duckdb}\n    ch: {type: clickhouse, url: "env:${URL_ENV}", database: ${DATABASE}, user: default}\n`,
    );
    assert.notEqual(yaml, readFileSync(join(dir, "exp.yaml"), "utf8"), "the example exp.yaml has the local connection to replace");
    writeFileSync(join(dir, "exp.yaml"), yaml);
    env = { [URL_ENV]: cluster.shards[0]!.url };
  });
  after(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** checkout_redesign without its quantile guardrail and its dimensions, plus a ratio and a retention metric. */
  function withoutQuantile(): void {
    const file = join(dir, "experiments", "checkout_redesign.yaml");
    const text = readFileSync(file, "utf8");
    const edited = text
      .replace("secondary: [revenue_per_user, avg_order_value]", "secondary: [revenue_per_user, avg_order_value, top5_ctr]")
      .replace("guardrails: [checkout_errors, p95_page_load]", "guardrails: [checkout_errors, d7_retention]")
      // Breakdowns by exposure attributes are not compared on ClickHouse yet (docs/clickhouse.md).
      .replace(", dimensions: [platform, country]}", "}");
    assert.notEqual(edited, text);
    writeFileSync(file, edited);
  }

  test("every hostile string is one literal that the engine reads back exactly", async () => {
    const w = await ClickHouseWarehouse.open({ url: cluster.shards[0]!.url, database: DATABASE });
    try {
      const payloads = [...INJECTION_PAYLOADS, "\u0000nul", "\u0001\u001f\u007f", "\\x41 is not A"];
      const select = payloads.map((p, i) => `${clickhouseString(p)} AS v${i}`).join(", ");
      const [row] = await w.query(`SELECT ${select}`);
      for (const [i, p] of payloads.entries()) assert.equal(row![`v${i}`], p, JSON.stringify(p));
    } finally {
      await w.close();
    }
  });

  test("a quantile metric is refused with a diagnostic that names the dialect", () => {
    const r = exp(dir, ["analyze", "checkout_redesign", "--connection", "ch", "--as-of", AS_OF], env);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /EXP6010/);
    assert.match(r.stderr, /"p95_page_load" is a quantile, which the "clickhouse" dialect cannot compute/);
  });

  test("the sufficient statistics equal DuckDB's", async () => {
    withoutQuantile();
    const loaded = await loadWorkspace(dir);
    const workspace = loaded.value!;
    const experiment = workspace.experiments.get("checkout_redesign")!;
    const fetchFrom = async (w: Warehouse) => {
      try {
        return await fetchSufficientStats(w, workspace, experiment, { asOf: AS_OF });
      } finally {
        await w.close();
      }
    };
    const duck = await fetchFrom(await DuckDbWarehouse.open(join(dir, "warehouse.duckdb")));
    const ch = await fetchFrom(await ClickHouseWarehouse.open({ url: cluster.shards[0]!.url, database: DATABASE }));
    assert.deepEqual(duck.diagnostics, []);
    assert.deepEqual(ch.diagnostics, []);
    assert.equal(duck.metrics.length, 6);
    // The data is not degenerate: both arms have units and every metric has per-variant sums.
    assert.ok(
      Object.values(duck.units).every((n) => n > 500),
      JSON.stringify(duck.units),
    );
    assert.ok(duck.multipleExposures > 0);
    // The SQL differs by dialect; what it returns may not.
    const strip = (s: typeof duck) => ({ ...s, queries: [], experimentList: undefined });
    const mismatches = compareToReference(strip(ch), strip(duck), "$", ESTIMATE_TOLERANCE);
    assert.equal(mismatches.length, 0, describeMismatches(mismatches));
  });

  test("each shard scans its own events and sums its units: the query reaches the shards against their local tables", async () => {
    const workspace = (await loadWorkspace(dir)).value!;
    const experiment = workspace.experiments.get("checkout_redesign")!;
    const compiled = compileExperimentSql({ workspace, experiment, dialect: "clickhouse", asOf: AS_OF });
    assert.deepEqual(compiled.diagnostics, []);
    assert.match(compiled.batch!.sql, /FROM "events" AS e\n\s*GLOBAL ALL INNER JOIN \(/);
    // log_queries travels with the distributed query, so each shard logs the part it ran.
    const marker = `shard-check-${SEED}`;
    await cluster.query(`${compiled.batch!.sql.replace(/;\s*$/, "")} -- ${marker}`, 0, {
      database: DATABASE,
      join_use_nulls: 1,
      log_queries: 1,
    });
    // Shard 0 is the initiator and reads its own part in-process; every other shard gets the query.
    for (const shard of [...cluster.shards.keys()].slice(1)) {
      await cluster.query("SYSTEM FLUSH LOGS", shard);
      const ran = await cluster.query(
        `SELECT count() FROM system.query_log WHERE type = 2 AND is_initial_query = 0 AND query LIKE '%FROM ${DATABASE}.events_local%GLOBAL ALL INNER JOIN%GROUP BY%'`,
        shard,
      );
      assert.ok(Number(ran.trim()) >= 1, `shard ${shard} ran no per-unit aggregation over its events_local`);
    }
  });

  test("exp doctor --connection ch reads the tables from system.columns and counts through the Distributed tables", () => {
    const r = exp(dir, ["doctor", "--connection", "ch", "--format", "json"], env);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as {
      tables: {
        role: string;
        status: string;
        rows?: number;
        columns: { name: string; found: boolean; type?: string }[];
        variants?: { experiment: string; variant: string; units: number }[];
      }[];
    };
    const exposures = report.tables.find((t) => t.role === "exposures")!;
    const events = report.tables.find((t) => t.role === "events")!;
    assert.equal(exposures.status, "ok");
    assert.equal(events.status, "ok");
    assert.deepEqual(
      exposures.columns.filter((c) => c.found).map((c) => [c.name, c.type]),
      [
        ["unit_id", "String"],
        ["experiment", "String"],
        ["variant", "String"],
        ["ts", "DateTime"],
        ["session_id", "Nullable(String)"],
      ],
    );
    const population = shardedPopulation(SEED);
    assert.equal(exposures.rows, population.exposures.length);
    assert.equal(events.rows, population.events.length);
    const arms = exposures.variants!.filter((v) => v.experiment === "checkout_redesign").map((v) => v.variant);
    assert.deepEqual(arms, ["control", "one_page"]);
  });

  test("exp doctor names a missing ClickHouse table and the near one", () => {
    const file = join(dir, "exp.yaml");
    const yaml = readFileSync(file, "utf8");
    writeFileSync(file, yaml.replace("tables: {exposures: exposures, events: events}", "tables: {exposures: exposures, events: event}"));
    try {
      const r = exp(dir, ["doctor", "--connection", "ch"], env);
      assert.equal(r.status, 1, r.stdout);
      assert.match(r.stderr, /The events table "event" is not in the warehouse/);
      assert.match(r.stderr, /did you mean "events"\?/);
    } finally {
      writeFileSync(file, yaml);
    }
  });

  test("exp analyze --connection ch gives DuckDB's analysis document", () => {
    const run = (args: string[]) => {
      const r = exp(dir, ["analyze", "checkout_redesign", "--format", "json", "--as-of", AS_OF, ...args], env);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const duck = run([]);
    const ch = run(["--connection", "ch"]);
    const mismatches = compareToReference(ch, duck);
    assert.equal(mismatches.length, 0, describeMismatches(mismatches));
    assert.ok(JSON.stringify(duck).includes("top5_ctr"));
  });
});
