// A generated population for checkout_redesign of the example workspace, loaded the same way into a
// DuckDB file and into a sharded ClickHouse cluster, so that both engines analyse identical rows.
// Timestamps are whole seconds (ClickHouse 18.16's DateTime), properties compact JSON (as the
// SDKs write them), and unit ids include quotes, backslashes and non-ASCII text.
import { DuckDBInstance } from "@duckdb/node-api";
import { clickhouseString } from "../../src/compiler/sql/dialects/clickhouse.js";
import { duckdbDialect } from "../../src/compiler/sql/dialects/duckdb.js";
import { CLICKHOUSE_CLUSTER, type ClickHouseCluster } from "../helpers/clickhouse.js";
import { mulberry32 } from "../helpers/prng.js";

export interface PopulationExposure {
  unit: string;
  experiment: string;
  variant: string;
  ts: string;
}
export interface PopulationEvent {
  unit: string;
  event: string;
  ts: string;
  value: number | null;
  properties: string;
  id: string;
}

const START = Date.parse("2026-11-01T00:00:00Z");
const DAY = 86_400_000;

const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace("T", " ");

const ODD_IDS = ["o'brien", 'say "hi"', "back\\slash", "zürich-7", "東京-3", "emoji-😀", "tab\there", "semi;colon -- x"];

export function shardedPopulation(seed: number, units = 2000): { exposures: PopulationExposure[]; events: PopulationEvent[] } {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const exposures: PopulationExposure[] = [];
  const events: PopulationEvent[] = [];
  const event = (unit: string, name: string, ms: number, props: Record<string, unknown>, value: number | null = null) =>
    events.push({ unit, event: name, ts: at(ms), value, properties: JSON.stringify(props), id: `ev${events.length}` });
  const ids = [...ODD_IDS, ...Array.from({ length: units - ODD_IDS.length }, (_, i) => `user-${i}`)];
  for (const unit of ids) {
    const variant = rand() < 0.5 ? "control" : "one_page";
    const lift = variant === "one_page" ? 0.05 : 0;
    const first = START + Math.floor(rand() * 18 * DAY);
    exposures.push({ unit, experiment: "checkout_redesign", variant, ts: at(first) });
    // Repeat exposures; a few units see both variants and leave the analysis.
    if (rand() < 0.3) exposures.push({ unit, experiment: "checkout_redesign", variant, ts: at(first + rand() * 3 * DAY) });
    if (rand() < 0.02)
      exposures.push({
        unit,
        experiment: "checkout_redesign",
        variant: variant === "control" ? "one_page" : "control",
        ts: at(first + DAY),
      });
    if (rand() < 0.1) exposures.push({ unit, experiment: "dark_mode_trial", variant: "dark", ts: at(first) });
    // Purchases in and around the 14-day window, some before exposure (the CUPED pre-period).
    const purchases = rand() < 0.2 + lift ? 1 + Math.floor(rand() * 3) : 0;
    for (let i = 0; i < purchases; i++) {
      const revenue = Math.round((5 + rand() * 120) * 100) / 100;
      event(unit, "purchase", first + (rand() * 20 - 4) * DAY, { revenue, currency: pick(["USD", "EUR", "CAD"]) }, revenue);
    }
    if (rand() < 0.15) event(unit, "purchase", first - rand() * 10 * DAY, { revenue: Math.round(rand() * 8000) / 100, currency: "USD" });
    if (rand() < 0.1) event(unit, "checkout_error", first + rand() * 14 * DAY, { step: pick(["cart", "pay", "ship"]) });
    const impressions = Math.floor(rand() * 6);
    for (let i = 0; i < impressions; i++) {
      const ts = first + (rand() * 16 - 2) * DAY;
      const position = 1 + Math.floor(rand() * 10);
      event(unit, "impression", ts, { position });
      if (rand() < 0.3 + lift) event(unit, "click", ts + 5000, { position });
    }
    if (rand() < 0.4) event(unit, "app_open", first + rand() * 16 * DAY, {});
  }
  // Events of units nobody exposed, which no metric may count.
  for (let i = 0; i < 50; i++) event(`stranger-${i}`, "purchase", START + rand() * 20 * DAY, { revenue: 999, currency: "USD" }, 999);
  return { exposures, events };
}

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const num = (v: number | null) => (v === null ? "NULL" : String(v));

export async function loadDuckDbPopulation(file: string, p: ReturnType<typeof shardedPopulation>): Promise<void> {
  const s = (v: string) => duckdbDialect.stringLiteral(v);
  const instance = await DuckDBInstance.create(file);
  const db = await instance.connect();
  await db.run("CREATE TABLE exposures (unit_id TEXT, experiment TEXT, variant TEXT, ts TIMESTAMP, session_id TEXT, attributes JSON)");
  await db.run(
    "CREATE TABLE events (unit_id TEXT, session_id TEXT, event TEXT, ts TIMESTAMP, value DOUBLE, properties JSON, event_id TEXT)",
  );
  for (const rows of chunks(p.exposures, 2000)) {
    const values = rows.map((x) => `(${s(x.unit)}, ${s(x.experiment)}, ${s(x.variant)}, TIMESTAMP ${s(x.ts)})`);
    await db.run(`INSERT INTO exposures (unit_id, experiment, variant, ts) VALUES ${values.join(", ")}`);
  }
  for (const rows of chunks(p.events, 2000)) {
    const values = rows.map((e) => `(${s(e.unit)}, ${s(e.event)}, TIMESTAMP ${s(e.ts)}, ${num(e.value)}, ${s(e.properties)}, ${s(e.id)})`);
    await db.run(`INSERT INTO events (unit_id, event, ts, value, properties, event_id) VALUES ${values.join(", ")}`);
  }
  db.closeSync();
  instance.closeSync();
}

/**
 * The co-sharded layout: on every shard MergeTree tables `exposures_local` and `events_local`, and
 * over them the Distributed tables `exposures` and `events` that the analysis reads, both sharded by
 * cityHash64(unit_id), so that a unit's exposures and events live on the same shard.
 */
export async function loadClickHousePopulation(
  cluster: ClickHouseCluster,
  database: string,
  p: ReturnType<typeof shardedPopulation>,
): Promise<void> {
  const s = clickhouseString;
  const tables = {
    exposures: "unit_id String, experiment String, variant String, ts DateTime, session_id Nullable(String)",
    events:
      "unit_id String, session_id Nullable(String), event String, ts DateTime, value Nullable(Float64), properties String, event_id String",
  };
  for (const shard of cluster.shards.keys()) {
    await cluster.query(`CREATE DATABASE IF NOT EXISTS ${database}`, shard);
    for (const [name, columns] of Object.entries(tables)) {
      await cluster.query(`CREATE TABLE ${database}.${name}_local (${columns}) ENGINE = MergeTree ORDER BY (unit_id, ts)`, shard);
    }
  }
  for (const name of Object.keys(tables)) {
    await cluster.query(
      `CREATE TABLE ${database}.${name} AS ${database}.${name}_local ENGINE = Distributed(${CLICKHOUSE_CLUSTER}, ${database}, ${name}_local, cityHash64(unit_id))`,
    );
  }
  const sync = { insert_distributed_sync: 1 };
  for (const rows of chunks(p.exposures, 5000)) {
    const values = rows.map((x) => `(${s(x.unit)}, ${s(x.experiment)}, ${s(x.variant)}, ${s(x.ts)})`);
    await cluster.query(`INSERT INTO ${database}.exposures (unit_id, experiment, variant, ts) VALUES ${values.join(", ")}`, 0, sync);
  }
  for (const rows of chunks(p.events, 5000)) {
    const values = rows.map((e) => `(${s(e.unit)}, ${s(e.event)}, ${s(e.ts)}, ${num(e.value)}, ${s(e.properties)}, ${s(e.id)})`);
    await cluster.query(
      `INSERT INTO ${database}.events (unit_id, event, ts, value, properties, event_id) VALUES ${values.join(", ")}`,
      0,
      sync,
    );
  }
}
