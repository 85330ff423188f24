// A small hand-made warehouse whose per-variant sums are worked out by hand below, shared by the
// DuckDB and PostgreSQL semantics tests so both engines must agree with the same arithmetic.
import type { Warehouse } from "../../src/analysis/warehouse.js";
import { makeExperiment, makeMetric, makeSettings, makeWorkspace } from "../compiler/sql/fixture-workspace.js";

const T0 = Date.parse("2026-12-01T00:00:00Z");
const S = 1000;
const H = 3600 * S;
const D = 24 * H;

export const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString().replace("T", " ").replace("Z", "");

export interface ExposureRow {
  unit: string;
  experiment: string;
  variant: string;
  ts: number;
}
export interface EventRow {
  unit: string;
  event: string;
  ts: number;
  value?: number;
  props?: Record<string, unknown>;
}

// First exposures: u1 control T0+1h (second row at T0+5h), u2 control T0+2h, u8 control T0+4h,
// u3 treatment T0, u4 treatment T0+3h, u6 treatment T0+10d; u5 sees both variants; u7 is only in "other".
export const EXPOSURES: ExposureRow[] = [
  { unit: "u1", experiment: "exp1", variant: "control", ts: 5 * H },
  { unit: "u1", experiment: "exp1", variant: "control", ts: 1 * H },
  { unit: "u2", experiment: "exp1", variant: "control", ts: 2 * H },
  { unit: "u8", experiment: "exp1", variant: "control", ts: 4 * H },
  { unit: "u3", experiment: "exp1", variant: "treatment", ts: 0 },
  { unit: "u4", experiment: "exp1", variant: "treatment", ts: 3 * H },
  { unit: "u6", experiment: "exp1", variant: "treatment", ts: 10 * D },
  { unit: "u5", experiment: "exp1", variant: "control", ts: 0 },
  { unit: "u5", experiment: "exp1", variant: "treatment", ts: 1 * H },
  { unit: "u7", experiment: "other", variant: "control", ts: 1 * H },
];

const buy = (unit: string, ts: number, revenue: number, currency = "USD"): EventRow => ({
  unit,
  event: "purchase",
  ts,
  value: revenue,
  props: { revenue, currency },
});

export const EVENTS_ROWS: EventRow[] = [
  // u1 (first exposure 1h): at the window start (in), at start+1d (out: the window is half-open),
  // 1 s before the end (in, EUR), 1 s before exposure (pre-period only).
  buy("u1", 1 * H, 10),
  buy("u1", 1 * H + D, 100),
  buy("u1", 1 * H + D - S, 5, "EUR"),
  buy("u1", 1 * H - S, 7),
  { unit: "u1", event: "app_open", ts: 1 * H + 7 * D + H }, // day 7 → retained
  { unit: "u1", event: "page_load", ts: 2 * H, props: { latency_ms: 300 } },
  // u2 (2h)
  buy("u2", 2 * H + 30 * 60 * S, 20),
  { unit: "u2", event: "impression", ts: 3 * H, props: { position: 5 } },
  { unit: "u2", event: "click", ts: 3 * H, props: { position: 5 } }, // position <= 5 at the edge
  { unit: "u2", event: "impression", ts: 1 * H, props: { position: 1 } }, // pre-period of ctr_cuped (1 h before exposure)
  { unit: "u2", event: "app_open", ts: 2 * H + 14 * D + 12 * H }, // day 14 → retained
  { unit: "u2", event: "page_load", ts: 3 * H, props: { latency_ms: 100 } },
  { unit: "u2", event: "page_load", ts: 4 * H, props: { latency_ms: 200 } },
  // u8 (4h): an app_open at exactly 15 days, the edge of the retention window (out).
  { unit: "u8", event: "app_open", ts: 4 * H + 15 * D },
  // u3 (T0): two purchases, a pre-period one inside the 14d lookback and one outside it.
  buy("u3", 3 * H, 30),
  buy("u3", 4 * H, 40),
  buy("u3", -2 * D, 8),
  buy("u3", -20 * D, 1000),
  { unit: "u3", event: "app_open", ts: 6 * D + 23 * H }, // day 6 → not retained
  { unit: "u3", event: "page_load", ts: 1 * H, props: { latency_ms: 50 } },
  // u4 (3h): two impressions, one click at position 3 and one at 9; page loads; no purchase.
  { unit: "u4", event: "impression", ts: 4 * H, props: { position: 1 } },
  { unit: "u4", event: "impression", ts: 4 * H, props: { position: 2 } },
  { unit: "u4", event: "click", ts: 5 * H, props: { position: 3 } },
  { unit: "u4", event: "click", ts: 5 * H, props: { position: 9 } },
  // u4's pre-period for ctr_cuped: 2 impressions and clicks at positions 2 (counts) and 9 (filtered) 2 days
  // before exposure; an impression 15 days before is outside the 14d lookback.
  { unit: "u4", event: "impression", ts: 3 * H - 2 * D, props: { position: 1 } },
  { unit: "u4", event: "impression", ts: 3 * H - 2 * D, props: { position: 4 } },
  { unit: "u4", event: "click", ts: 3 * H - 2 * D, props: { position: 2 } },
  { unit: "u4", event: "click", ts: 3 * H - 2 * D, props: { position: 9 } },
  { unit: "u4", event: "impression", ts: 3 * H - 15 * D, props: { position: 1 } },
  { unit: "u4", event: "page_load", ts: 4 * H, props: { latency_ms: 70 } },
  { unit: "u4", event: "page_load", ts: 4 * H, props: { latency_ms: 90 } },
  { unit: "u4", event: "page_load", ts: 4 * H, props: { latency_ms: 10 } },
  // u6 (10d)
  buy("u6", 10 * D + H, 50),
  // excluded units and strangers
  buy("u5", 2 * H, 999),
  buy("u7", 2 * H, 999),
  buy("u99", 2 * H, 999),
];

export function scenarioWorkspace() {
  const metrics = [
    makeMetric("conv", "any(purchase)", { windowDays: 1 }),
    makeMetric("revenue", "sum(purchase.revenue)", { windowDays: 1 }),
    makeMetric("usd_revenue", 'sum(purchase.revenue where currency == "USD")', { windowDays: 1 }),
    makeMetric("ctr", "count(click where position <= 5) / count(impression)", { windowDays: 1 }),
    makeMetric("ret", "any(app_open where days_since_exposure between 7 and 14)", { windowDays: 15 }),
    makeMetric("avg_rev", "mean(purchase.revenue)", { windowDays: 1 }),
    makeMetric("p50_latency", "p50(page_load.latency_ms)", { windowDays: 1 }),
    makeMetric("revenue_cuped", "sum(purchase.value)", { windowDays: 1, cuped: true }),
    makeMetric("early_loads", "count(page_load where hours_since_exposure <= 1)", { windowDays: 1 }),
    makeMetric("max_rev", "max(purchase.revenue)", { windowDays: 1 }),
    makeMetric("currencies", "count_distinct(purchase.currency)", { windowDays: 1 }),
    makeMetric("ctr_cuped", "count(click where position <= 5) / count(impression)", { windowDays: 1, cuped: true }),
  ];
  const experiment = makeExperiment(
    "exp1",
    metrics.map((m) => m.key),
  );
  return { workspace: makeWorkspace({ settings: makeSettings(), metrics, experiments: [experiment] }), experiment };
}

/** Creates the warehouse tables of docs/workspace.md and inserts the rows through bound parameters (one statement per table). */
export async function loadScenario(w: Warehouse, exposures = EXPOSURES, events = EVENTS_ROWS): Promise<void> {
  const pg = w.dialect === "postgres";
  const [dbl, json] = pg ? ["DOUBLE PRECISION", "JSONB"] : ["DOUBLE", "JSON"];
  const p = (i: number) => (pg ? `$${i}::text` : `$${i}`);
  await w.query(`CREATE TABLE exposures (unit_id TEXT, experiment TEXT, variant TEXT, ts TIMESTAMP, session_id TEXT, attributes ${json})`);
  await w.query(
    `CREATE TABLE events (unit_id TEXT, session_id TEXT, event TEXT, ts TIMESTAMP, value ${dbl}, properties ${json}, event_id TEXT)`,
  );
  const insert = async (table: string, columns: string, rows: (string | null)[][], row: (base: number) => string) => {
    if (rows.length === 0) return;
    const width = rows[0]!.length;
    const values = rows.map((_, r) => row(r * width));
    await w.query(`INSERT INTO ${table} (${columns}) VALUES ${values.join(", ")}`, rows.flat());
  };
  await insert(
    "exposures",
    "unit_id, experiment, variant, ts",
    exposures.map((x) => [x.unit, x.experiment, x.variant, at(x.ts)]),
    (b) => `(${p(b + 1)}, ${p(b + 2)}, ${p(b + 3)}, CAST(${p(b + 4)} AS TIMESTAMP))`,
  );
  await insert(
    "events",
    "unit_id, event, ts, value, properties, event_id",
    events.map((e, i) => [
      e.unit,
      e.event,
      at(e.ts),
      e.value === undefined ? null : String(e.value),
      e.props === undefined ? null : JSON.stringify(e.props),
      `ev${i}`,
    ]),
    (b) =>
      `(${p(b + 1)}, ${p(b + 2)}, CAST(${p(b + 3)} AS TIMESTAMP), CAST(${p(b + 4)} AS ${dbl}), CAST(${p(b + 5)} AS ${json}), ${p(b + 6)})`,
  );
}
