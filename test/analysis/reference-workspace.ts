// Turns a test/reference dataset into a real workspace on disk (exp.yaml, metrics/*.yaml, one
// experiment file per run) and loads its CSVs into a DuckDB file or a PostgreSQL database, so that
// `exp analyze` runs end to end exactly as a user would run it.
import { DuckDBInstance } from "@duckdb/node-api";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { readCsv } from "../stats/csv.js";
import { startPostgres } from "../helpers/postgres.js";
import { exp, git } from "../helpers/workspace.js";

export const REFERENCE = fileURLToPath(new URL("../reference/", import.meta.url));
/** The environment variable the workspaces' postgres connection reads its URL from. */
export const PG_URL_ENV = "EXP_E2E_PG_URL";

interface Aggregate {
  kind: string;
  event: string;
  field?: string;
}

export interface ReferenceMetric extends Aggregate {
  metric: string;
  tier: "primary" | "secondary" | "guardrail";
  direction?: "increase" | "decrease";
  cuped?: boolean;
  max_regression?: number;
  quantile?: number;
  numerator?: Aggregate;
  denominator?: Aggregate;
}

export interface ReferenceRun {
  method: string;
  alpha: number;
  correction: string;
  srm_threshold: number;
  window_days: number;
  cuped_lookback_days: number;
}

export interface ReferenceDataset {
  name: string;
  experiment: string;
  phase: number;
  /** The decision design of test/reference/generate.py: analysed after the schedule ended, the minimums met. */
  design: { schedule: { start: string; end: string }; as_of: string; min_duration_days: number; min_units_per_variant: number };
  control: string;
  variants: { key: string; weight: number }[];
  metrics: ReferenceMetric[];
  runs: ReferenceRun[];
  expected: unknown[];
}

export function referenceDatasets(): string[] {
  return readdirSync(REFERENCE, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(REFERENCE, d.name, "workspace.json")))
    .map((d) => d.name)
    .sort();
}

export function readDataset(name: string): ReferenceDataset {
  const dir = join(REFERENCE, name);
  const ws = JSON.parse(readFileSync(join(dir, "workspace.json"), "utf8"));
  return { name, ...ws, expected: JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) };
}

/** "properties.revenue" → "revenue"; "value" stays the value column (docs/workspace.md). */
function path(a: Aggregate): string {
  if (!a.field) return a.event;
  return `${a.event}.${a.field.replace(/^properties\./, "")}`;
}

function aggregate(a: Aggregate & { quantile?: number }): string {
  switch (a.kind) {
    case "conversion":
      return `any(${a.event})`;
    case "count":
      return `count(${a.event})`;
    case "sum":
    case "mean":
    case "min":
    case "max":
      return `${a.kind}(${path(a)})`;
    case "quantile":
      return `p${Math.round(a.quantile! * 100)}(${path(a)})`;
    default:
      throw new Error(`reference metric kind ${a.kind} has no expression here`);
  }
}

/** The metric expression the dataset describes, e.g. `count(click) / count(impression)`. */
export function metricExpr(m: ReferenceMetric): string {
  return m.kind === "ratio" ? `${aggregate(m.numerator!)} / ${aggregate(m.denominator!)}` : aggregate(m);
}

const percent = (x: number) => `${Number((x * 100).toFixed(6))}%`;

function metricYaml(m: ReferenceMetric): string {
  const lines = [`metric: ${m.metric}`, `expr: ${metricExpr(m)}`];
  if (m.direction) lines.push(`direction: ${m.direction}`);
  if (m.cuped !== undefined) lines.push(`cuped: ${m.cuped}`);
  if (m.max_regression !== undefined) lines.push(`guardrail: { max_regression: ${percent(m.max_regression)} }`);
  return `${lines.join("\n")}\n`;
}

function expYaml(run: ReferenceRun): string {
  return `version: 1
project: reference
units: [user]
attributes:
  country: string
events:
  purchase: { revenue: number, currency: string }
  page_view: {}
  impression: { position: number }
  click: { position: number }
  page_load: { latency_ms: number }
warehouse:
  default: local
  connections:
    local: { type: duckdb, path: warehouse.duckdb }
    pg: { type: postgres, url: "env:${PG_URL_ENV}" }
  tables: { exposures: exposures, events: events }
defaults:
  alpha: ${run.alpha}
  srm_threshold: ${run.srm_threshold}
  method: ${run.method}
  correction: ${run.correction}
  cuped: true
  cuped_lookback: ${run.cuped_lookback_days}d
  window: ${run.window_days}d
`;
}

function experimentYaml(ds: ReferenceDataset, run: ReferenceRun): string {
  const tier = (t: string) => ds.metrics.filter((m) => m.tier === t).map((m) => m.metric);
  const metrics = [`  primary: [${tier("primary").join(", ")}]`];
  if (tier("secondary").length) metrics.push(`  secondary: [${tier("secondary").join(", ")}]`);
  if (tier("guardrail").length) metrics.push(`  guardrails: [${tier("guardrail").join(", ")}]`);
  return `experiment: ${ds.experiment}
status: running
phase: ${ds.phase}
unit: user
variants:
${ds.variants.map((v) => `  ${v.key}: { weight: ${v.weight} }`).join("\n")}
control: ${ds.control}
schedule: { start: ${ds.design.schedule.start}, end: ${ds.design.schedule.end} }
metrics:
${metrics.join("\n")}
analysis: { method: ${run.method}, alpha: ${run.alpha}, correction: ${run.correction}, cuped: true }
decision: { min_duration: ${ds.design.min_duration_days}d, min_units_per_variant: ${ds.design.min_units_per_variant} }
`;
}

/** Writes the workspace for one run of the dataset (rewriting exp.yaml and the experiment for later runs). */
export function writeRunWorkspace(dir: string, ds: ReferenceDataset, run: ReferenceRun): void {
  mkdirSync(join(dir, "metrics"), { recursive: true });
  mkdirSync(join(dir, "experiments"), { recursive: true });
  writeFileSync(join(dir, "exp.yaml"), expYaml(run));
  for (const m of ds.metrics) writeFileSync(join(dir, "metrics", `${m.metric}.yaml`), metricYaml(m));
  writeFileSync(join(dir, "experiments", `${ds.experiment}.yaml`), experimentYaml(ds, run));
}

const created: string[] = [];

/** Removes every workspace this process created (call from an `after` hook). */
export function removeWorkspaces(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh git repository holding the dataset's first-run workspace, committed. */
export function datasetWorkspace(ds: ReferenceDataset): string {
  const dir = mkdtempSync(join(tmpdir(), `exp-e2e-${ds.name}-`));
  created.push(dir);
  writeRunWorkspace(dir, ds, ds.runs[0]!);
  writeFileSync(join(dir, ".gitignore"), "warehouse.duckdb\nwarehouse.duckdb.wal\n.exp/\n");
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "reference workspace");
  return dir;
}

const EXPOSURE_COLUMNS = ["unit_id", "experiment", "variant", "ts", "session_id", "attributes"] as const;
const EVENT_COLUMNS = ["unit_id", "session_id", "event", "ts", "value", "properties", "event_id"] as const;

/** Loads the dataset's CSVs into a new DuckDB file with the column types of docs/workspace.md, then closes it (analyze opens it read-only). */
export async function loadDuckDb(file: string, name: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const db = await instance.connect();
  const csv = (table: string) => `'${join(REFERENCE, name, `${table}.csv`)}'`;
  const text = (cols: readonly string[]) => `{${cols.map((c) => `'${c}': 'VARCHAR'`).join(", ")}}`;
  await db.run(`CREATE TABLE exposures (unit_id TEXT, experiment TEXT, variant TEXT, ts TIMESTAMP, session_id TEXT, attributes JSON)`);
  await db.run(
    `CREATE TABLE events (unit_id TEXT, session_id TEXT, event TEXT, ts TIMESTAMP, value DOUBLE, properties JSON, event_id TEXT)`,
  );
  await db.run(
    `INSERT INTO exposures SELECT unit_id, experiment, variant, CAST(ts AS TIMESTAMP), NULLIF(session_id, ''), CAST(NULLIF(attributes, '') AS JSON)
     FROM read_csv(${csv("exposures")}, header = true, columns = ${text(EXPOSURE_COLUMNS)})`,
  );
  await db.run(
    `INSERT INTO events SELECT unit_id, NULLIF(session_id, ''), event, CAST(ts AS TIMESTAMP), CAST(NULLIF(value, '') AS DOUBLE), CAST(NULLIF(properties, '') AS JSON), event_id
     FROM read_csv(${csv("events")}, header = true, columns = ${text(EVENT_COLUMNS)})`,
  );
  db.closeSync();
  instance.closeSync();
}

/** Loads the dataset's CSVs into a PostgreSQL database (TIMESTAMP, DOUBLE PRECISION, JSONB), one array-bound INSERT per table. */
export async function loadPostgres(url: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `CREATE TABLE exposures (unit_id TEXT, experiment TEXT, variant TEXT, ts TIMESTAMP, session_id TEXT, attributes JSONB)`,
    );
    await client.query(
      `CREATE TABLE events (unit_id TEXT, session_id TEXT, event TEXT, ts TIMESTAMP, value DOUBLE PRECISION, properties JSONB, event_id TEXT)`,
    );
    const columns = (table: string, cols: readonly string[]) => {
      const rows = readCsv(readFileSync(join(REFERENCE, name, `${table}.csv`), "utf8"));
      return cols.map((c) => rows.map((r) => (r[c] === "" || r[c] === undefined ? null : r[c])));
    };
    await client.query(
      `INSERT INTO exposures SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[], $5::text[], $6::jsonb[])`,
      columns("exposures", EXPOSURE_COLUMNS),
    );
    await client.query(
      `INSERT INTO events SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp[], $5::float8[], $6::jsonb[], $7::text[])`,
      columns("events", EVENT_COLUMNS),
    );
  } finally {
    await client.end();
  }
}

/** A committed workspace for the dataset's first run with its DuckDB warehouse loaded (the file is git-ignored). */
export async function duckDbWorkspace(name: string): Promise<{ dir: string; ds: ReferenceDataset }> {
  const ds = readDataset(name);
  const dir = datasetWorkspace(ds);
  await loadDuckDb(join(dir, "warehouse.duckdb"), name);
  return { dir, ds };
}

/**
 * The dataset's CSVs loaded into the workspace's DuckDB file and into a fresh PostgreSQL database,
 * and `exp analyze` of its experiment as of the design's date on either connection ("local" or "pg").
 */
export async function bothWarehouses(dir: string, ds: ReferenceDataset) {
  await loadDuckDb(join(dir, "warehouse.duckdb"), ds.name);
  const cluster = await startPostgres();
  const url = await cluster.createDatabase(ds.name);
  await loadPostgres(url, ds.name);
  const env = { [PG_URL_ENV]: url };
  return {
    analyze: (connection: "local" | "pg", format = "json", extra: string[] = []) =>
      exp(dir, ["analyze", ds.experiment, "--format", format, "--as-of", ds.design.as_of, "--connection", connection, ...extra], env),
    report: () => exp(dir, ["report", ds.experiment, "--as-of", ds.design.as_of, "--connection", "local"], env),
    dir,
    stop: () => cluster.stop(),
  };
}
