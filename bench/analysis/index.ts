/**
 * Analysis benchmark (README.md#benchmarks): fetchSufficientStats for one experiment with a conversion, a sum
 * and a ratio metric, against the hand-written DuckDB query computing the same per-variant sums,
 * in the same run on the same file. Prints JSON lines.
 *   node --import tsx bench/analysis/index.ts [--scale 1] [--out DIR] [--rounds 3] [--keep]
 * Scale 1 is 100M events and 10M exposures; --scale 0.1 is the 10M-events size (BENCH_ANALYSIS_SCALE sets the default).
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openWarehouse } from "../../src/analysis/connect.js";
import { DuckDbWarehouse } from "../../src/analysis/duckdb-warehouse.js";
import { fetchSufficientStats } from "../../src/analysis/fetch-stats.js";
import { makeExperiment, makeMetric, makeSettings, makeWorkspace } from "../../test/compiler/sql/fixture-workspace.js";
import { generateWarehouse } from "./generate.js";
import { HAND_WRITTEN_SQL } from "./hand-written.js";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: process.env["BENCH_ANALYSIS_SCALE"] ?? "1" },
    out: { type: "string", default: "bench/out" },
    rounds: { type: "string", default: "3" },
    keep: { type: "boolean", default: false },
  },
});
const scale = Number(values.scale);
const rounds = Number(values.rounds);
const size = { events: Math.round(100_000_000 * scale), exposures: Math.round(10_000_000 * scale) };
mkdirSync(values.out!, { recursive: true });
const file = join(values.out!, `analysis-${size.events}.duckdb`);
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: "analysis", ...line })}\n`);

if (!existsSync(file)) {
  // Generated under a temporary name and renamed when complete, so an interrupted run is not reused.
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  rmSync(`${partial}.wal`, { force: true });
  const t0 = performance.now();
  const instance = await DuckDBInstance.create(partial);
  const connection = await instance.connect();
  await generateWarehouse(connection, size);
  await connection.run("CHECKPOINT");
  connection.closeSync();
  instance.closeSync();
  renameSync(partial, file);
  emit({ step: "generate", ...size, seconds: (performance.now() - t0) / 1000 });
}

const settings = makeSettings({ connections: { local: { type: "duckdb", path: file } } });
const metrics = [
  makeMetric("conversion", "any(purchase)"),
  makeMetric("revenue", "sum(purchase.revenue)"),
  makeMetric("ctr", "count(click where position <= 5) / count(impression)"),
];
const experiment = makeExperiment(
  "bench",
  metrics.map((m) => m.key),
  { cuped: false },
);
const workspace = { ...makeWorkspace({ settings, metrics, experiments: [experiment] }), root: process.cwd() };

const warehouse = await DuckDbWarehouse.open(file);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ours: number[] = [];
const hand: number[] = [];
let result: Awaited<ReturnType<typeof fetchSufficientStats>> | undefined;
let handRows: Record<string, unknown>[] = [];
// Alternate the two so that neither always runs on a warm cache; the first round warms both.
for (let round = 0; round <= rounds; round++) {
  let t = performance.now();
  result = await fetchSufficientStats(warehouse, workspace, experiment);
  const a = (performance.now() - t) / 1000;
  t = performance.now();
  handRows = await warehouse.query(HAND_WRITTEN_SQL);
  const b = (performance.now() - t) / 1000;
  if (round > 0) {
    ours.push(a);
    hand.push(b);
  }
}
await warehouse.close();

// The two must agree, or the timing means nothing.
const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(1, Math.abs(y));
let maxRelError = 0;
for (const row of handRows) {
  const v = String(row["variant"]);
  const get = (k: string) => Number(row[k]);
  const m = (key: string) => result!.metrics.find((x) => x.metric === key)!.variants[v] as unknown as Record<string, number>;
  const pairs: [number, number][] = [
    [result!.units[v]!, get("n")],
    [m("conversion")["sum"]!, get("conv_sum")],
    [m("revenue")["sum"]!, get("revenue_sum")],
    [m("revenue")["sumSq"]!, get("revenue_sum_sq")],
    [m("ctr")["sumNum"]!, get("clicks_sum")],
    [m("ctr")["sumDen"]!, get("imps_sum")],
    [m("ctr")["sumNumDen"]!, get("clicks_imps")],
  ];
  for (const [x, y] of pairs) maxRelError = Math.max(maxRelError, rel(x, y));
}
emit({
  step: "compare",
  ...size,
  units: result!.units,
  multipleExposures: result!.multipleExposures,
  maxRelError,
  agree: maxRelError < 1e-9,
});
emit({
  step: "timing",
  ...size,
  rounds,
  oursSeconds: median(ours),
  handWrittenSeconds: median(hand),
  ratio: median(ours) / median(hand),
  goal: 1.3,
  note: "ours = exposure summary + one batch query (units, multiple exposures and data window included)",
});

// End to end at 10M events: open the warehouse from the workspace settings and fetch everything.
if (size.events === 10_000_000 || scale <= 0.1) {
  const t = performance.now();
  const opened = await openWarehouse(workspace);
  const stats = await fetchSufficientStats(opened.value!, workspace, experiment);
  await opened.value!.close();
  emit({ step: "end_to_end", events: size.events, seconds: (performance.now() - t) / 1000, goal: 10, metrics: stats.metrics.length });
}
if (!values.keep) rmSync(file, { force: true });
