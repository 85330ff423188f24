// `exp doctor` against a real throwaway PostgreSQL: the reference layout is clean (exit 0, rows per
// variant, the time range); a user's own schema with a `user_id` column, a misspelt event column, a
// TEXT value and BIGINT epoch-millisecond timestamps gets one diagnostic each with its fix (exit 1).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import {
  datasetWorkspace,
  loadPostgres,
  PG_URL_ENV,
  readDataset,
  REFERENCE,
  removeWorkspaces,
} from "../../analysis/reference-workspace.js";
import { startPostgres, type PostgresCluster } from "../../helpers/postgres.js";
import { exp } from "../../helpers/workspace.js";
import { readCsv } from "../../stats/csv.js";

interface DoctorJson {
  ok: boolean;
  connection: string;
  tables: {
    role: string;
    status: string;
    rows?: number;
    range?: { from: string; to: string; epoch?: string };
    variants?: { experiment: string; variant: string; rows: number; units: number }[];
    columns: { name: string; column: string; type?: string; found: boolean }[];
  }[];
  diagnostics: { code: string; severity: string; message: string; suggestion?: string }[];
}

async function sql(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

describe("exp doctor on PostgreSQL", () => {
  let cluster: PostgresCluster;
  let dir: string;
  before(async () => {
    cluster = await startPostgres();
    dir = datasetWorkspace(readDataset("conversion"));
  });
  after(async () => {
    removeWorkspaces();
    await cluster?.stop();
  });

  const doctor = (url: string, format: "json" | "text") =>
    exp(dir, ["doctor", "--connection", "pg", "--format", format], { [PG_URL_ENV]: url });

  test("the reference schema is clean: exit 0, every column found with its type, rows per variant and the time range", async () => {
    const url = await cluster.createDatabase("doctor_good");
    await loadPostgres(url, "conversion");
    const r = doctor(url, "json");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.equal(report.ok, true);
    assert.equal(report.connection, "pg");
    assert.deepEqual(
      report.diagnostics.filter((d) => d.severity === "error"),
      [],
    );
    const exposures = report.tables.find((t) => t.role === "exposures")!;
    assert.equal(exposures.status, "ok");
    assert.equal(exposures.columns.find((c) => c.name === "ts")!.type, "timestamp without time zone");
    // Rows and distinct units per experiment and variant, counted here from the CSV that was loaded.
    const counts = new Map<string, { experiment: string; variant: string; rows: number; units: Set<string> }>();
    for (const row of readCsv(readFileSync(join(REFERENCE, "conversion", "exposures.csv"), "utf8"))) {
      const key = `${row["experiment"]}/${row["variant"]}`;
      const c = counts.get(key) ?? { experiment: row["experiment"]!, variant: row["variant"]!, rows: 0, units: new Set<string>() };
      c.rows++;
      c.units.add(row["unit_id"]!);
      counts.set(key, c);
    }
    const expected = [...counts.values()]
      .map((c) => ({ experiment: c.experiment, variant: c.variant, rows: c.rows, units: c.units.size }))
      .sort((a, b) => (a.experiment + a.variant < b.experiment + b.variant ? -1 : 1));
    assert.ok(expected.length >= 2);
    assert.deepEqual(exposures.variants, expected);
    assert.equal(
      exposures.rows,
      expected.reduce((n, c) => n + c.rows, 0),
    );
    assert.match(exposures.range!.from, /^2026-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    assert.equal(exposures.range!.epoch, undefined);
    assert.equal(report.tables.find((t) => t.role === "events")!.status, "ok");
  });

  test("a broken schema names each problem with its fix and exits 1", async () => {
    const url = await cluster.createDatabase("doctor_broken");
    await sql(url, [
      "CREATE TABLE exposures (user_id TEXT, experiment TEXT, variant TEXT, ts TIMESTAMP)",
      "INSERT INTO exposures VALUES ('u1', 'ref_conversion', 'control', '2026-12-01 10:00:00'), ('u2', 'ref_conversion', 'treatment', '2026-12-01 11:00:00')",
      "CREATE TABLE events (unit_id TEXT, evnt TEXT, ts BIGINT, value TEXT)",
      "INSERT INTO events VALUES ('u1', 'purchase', 1764583500000, '12.5'), ('u2', 'purchase', 1764587100000, NULL)",
    ]);
    const r = doctor(url, "json");
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.equal(report.ok, false);
    const find = (code: string, text: string) => {
      const d = report.diagnostics.find((x) => x.code === code && x.message.includes(text));
      assert.ok(d, `no ${code} mentioning ${text} in ${JSON.stringify(report.diagnostics, null, 2)}`);
      assert.equal(d.severity, "error");
      return d;
    };
    const unit = find("EXP6121", 'The exposures table "exposures" has no column "unit_id"');
    assert.equal(
      unit.suggestion,
      'did you mean "user_id"? map it in exp.yaml: warehouse: { columns: { exposures: { unit_id: user_id } } }',
    );
    const event = find("EXP6121", 'The events table "events" has no column "event"');
    assert.equal(event.suggestion, 'did you mean "evnt"? map it in exp.yaml: warehouse: { columns: { events: { event: evnt } } }');
    find("EXP6124", 'The events column "events.value" is text, but value must be a number; cast it.');
    const ts = find("EXP6123", 'The events column "events.ts" holds epoch milliseconds, not timestamps');
    assert.equal(ts.suggestion, "add to exp.yaml: warehouse: { columns: { events: { ts_unit: ms } } }");
    assert.equal(report.diagnostics.filter((d) => d.severity === "error").length, 4, JSON.stringify(report.diagnostics, null, 2));
    const events = report.tables.find((t) => t.role === "events")!;
    assert.equal(events.status, "problems");
    assert.deepEqual(events.range, { from: "2025-12-01T10:05:00.000Z", to: "2025-12-01T11:05:00.000Z", epoch: "ms" });

    const text = doctor(url, "text");
    assert.equal(text.status, 1);
    assert.match(text.stdout, /^connection "pg"$/m);
    assert.match(text.stdout, /✖ events: table "events", 2 rows/);
    assert.match(text.stdout, /✔ ts: bigint \(epoch ms\)/);
    assert.match(text.stderr, /error\[EXP6121\]: The exposures table "exposures" has no column "unit_id"/);
    assert.doesNotMatch(text.stdout + text.stderr, /operator does not exist|syntax error/);
  });
});
