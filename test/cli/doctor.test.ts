// `exp doctor`: a user's own CSVs with a `user_id` column, epoch-millisecond timestamps and a misspelt
// event column get one diagnostic each, naming the table, the column and the fix; the reference
// DuckDB layout is clean and exits 0.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { duckDbWorkspace, removeWorkspaces } from "../analysis/reference-workspace.js";
import { exp } from "../helpers/workspace.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  removeWorkspaces();
});

/** The example workspace's exp.yaml and metrics, reading `data/*.csv`. */
function csvWorkspace(exposures: string, events: string, extraYaml = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "exp-doctor-"));
  dirs.push(dir);
  const yaml = readFileSync(join(ROOT, "exp.yaml"), "utf8").replace(
    "local: {type: duckdb, path: .exp/warehouse.duckdb}",
    'local: {type: duckdb, files: ["data/*.csv"]}',
  );
  assert.match(yaml, /files: \["data\/\*\.csv"\]/);
  writeFileSync(join(dir, "exp.yaml"), yaml + extraYaml);
  mkdirSync(join(dir, "metrics"));
  writeFileSync(join(dir, "metrics", "purchase_conversion.yaml"), "metric: purchase_conversion\nexpr: any(purchase)\n");
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data", "exposures.csv"), exposures);
  writeFileSync(join(dir, "data", "events.csv"), events);
  return dir;
}

interface DoctorJson {
  ok: boolean;
  tables: { role: string; status: string; rows?: number; range?: { from?: string; to?: string }; variants?: unknown[] }[];
  diagnostics: { code: string; severity: string; message: string; suggestion?: string }[];
}

describe("exp doctor", () => {
  const exposures =
    "user_id,experiment,variant,ts\nu1,checkout_redesign,control,1733400000000\nu2,checkout_redesign,treatment,1733400060000\n";
  const events = "user_id,event_nme,ts,value\nu1,purchase,1733400100000,12.5\nu2,add_to_cart,1733400200000,\n";

  test("names the user_id column, the epoch-ms timestamps and the misspelt event column, with their fixes", () => {
    const dir = csvWorkspace(exposures, events);
    const r = exp(dir, ["doctor", "--format", "json"]);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.equal(report.ok, false);
    const find = (code: string, text: string) => {
      const d = report.diagnostics.find((x) => x.code === code && x.message.includes(text));
      assert.ok(d, `no ${code} mentioning ${text} in ${JSON.stringify(report.diagnostics, null, 2)}`);
      return d;
    };
    const unit = find("EXP6121", 'exposures table "exposures" has no column "unit_id"');
    assert.equal(unit.severity, "error");
    assert.match(unit.suggestion!, /did you mean "user_id"\? .*warehouse: \{ columns: \{ exposures: \{ unit_id: user_id \} \} \}/);
    const event = find("EXP6121", 'events table "events" has no column "event"');
    assert.match(event.suggestion!, /did you mean "event_nme"\? .*warehouse: \{ columns: \{ events: \{ event: event_nme \} \} \}/);
    const ts = find("EXP6123", '"exposures.ts" holds epoch milliseconds');
    assert.equal(ts.suggestion, "add to exp.yaml: warehouse: { columns: { exposures: { ts_unit: ms } } }");
    find("EXP6123", '"events.ts" holds epoch milliseconds');
    const range = report.tables.find((t) => t.role === "exposures")!.range!;
    assert.deepEqual(range, { from: "2024-12-05T12:00:00.000Z", to: "2024-12-05T12:01:00.000Z", epoch: "ms" });
    assert.equal(report.tables.find((t) => t.role === "identities")!.status, "not used yet");
  });

  test("exp analyze on the same tables asks for ts_unit, then names the missing column and points at exp doctor, without the engine's dump", () => {
    const dir = csvWorkspace(exposures, events);
    mkdirSync(join(dir, "experiments"));
    writeFileSync(
      join(dir, "experiments", "checkout_redesign.yaml"),
      [
        "experiment: checkout_redesign",
        "status: running",
        "schedule: {start: 2024-12-01T00:00:00Z}",
        "variants: {control: {weight: 50}, treatment: {weight: 50}}",
        "control: control",
        "metrics: {primary: [purchase_conversion]}",
        "",
      ].join("\n"),
    );
    const epoch = exp(dir, ["analyze", "checkout_redesign"]);
    assert.equal(epoch.status, 1, epoch.stdout + epoch.stderr);
    assert.match(epoch.stderr, /error\[EXP6123\]: The exposures column "exposures\.ts" holds epoch milliseconds, not timestamps/);
    assert.match(epoch.stderr, /help: add to exp\.yaml: warehouse: \{ columns: \{ events: \{ ts_unit: ms \} \} \}/);
    const p = join(dir, "exp.yaml");
    writeFileSync(
      p,
      readFileSync(p, "utf8").replace(
        "  tables: {exposures: exposures, events: events}\n",
        (m) => `${m}  columns:\n    exposures: { ts_unit: ms }\n    events: { ts_unit: ms }\n`,
      ),
    );
    const unit = exp(dir, ["analyze", "checkout_redesign"]);
    assert.equal(unit.status, 1, unit.stdout + unit.stderr);
    assert.match(
      unit.stderr,
      /error\[EXP6121\]: The warehouse has no column "unit_id" \(read as "exposures\.unit_id" and "events\.unit_id"\)/,
    );
    assert.match(unit.stderr, /exp doctor/);
    assert.doesNotMatch(unit.stderr + epoch.stderr, /Binder Error|Candidate functions/);
  });

  test("the text view is a checklist, and the diagnostics with their fixes go to stderr", () => {
    const dir = csvWorkspace(exposures, events);
    const r = exp(dir, ["doctor"]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /✖ unit_id: missing/);
    assert.match(r.stdout, /✔ ts: BIGINT \(epoch ms\)/);
    assert.match(r.stdout, /· identities: not used yet/);
    assert.match(r.stderr, /error\[EXP6121\]: The exposures table "exposures" has no column "unit_id"/);
    assert.match(r.stderr, /= help: did you mean "user_id"\?/);
    assert.doesNotMatch(r.stderr + r.stdout, /Binder Error|Candidate functions/);
  });

  test("mapped columns and ISO timestamps pass; an event a metric uses but the table lacks is a warning with did-you-mean", () => {
    const mapping = "  columns:\n    exposures: { unit_id: user_id }\n    events: { unit_id: user_id, event: event_nme }\n";
    const yamlWithMapping = (dir: string) => {
      const p = join(dir, "exp.yaml");
      writeFileSync(
        p,
        readFileSync(p, "utf8").replace("  tables: {exposures: exposures, events: events}\n", (m) => m + mapping),
      );
    };
    const dir = csvWorkspace(
      "user_id,experiment,variant,ts\nu1,checkout_redesign,control,2026-11-02T10:00:00Z\nu2,checkout_redesign,treatment,2026-11-02T11:00:00Z\n",
      "user_id,event_nme,ts,value\nu1,purchse,2026-11-02T10:05:00Z,12.5\n",
    );
    yamlWithMapping(dir);
    const r = exp(dir, ["doctor", "--format", "json"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.equal(report.ok, true);
    const missing = report.diagnostics.find((d) => d.code === "EXP6125");
    assert.ok(missing, JSON.stringify(report.diagnostics));
    assert.match(missing.message, /no "purchase" events, which "purchase_conversion" uses/);
    assert.equal(missing.suggestion, 'did you mean "purchse"?');
    const expo = report.tables.find((t) => t.role === "exposures")!;
    assert.deepEqual(expo.variants, [
      { experiment: "checkout_redesign", variant: "control", rows: 1, units: 1 },
      { experiment: "checkout_redesign", variant: "treatment", rows: 1, units: 1 },
    ]);
  });

  test("ts_unit on a column that already holds timestamps is an error naming the declaration to remove", () => {
    const dir = csvWorkspace(
      "unit_id,experiment,variant,ts\nu1,checkout_redesign,control,2026-11-02T10:00:00Z\n",
      "unit_id,event,ts,value\nu1,purchase,1762077900,12.5\n",
    );
    const p = join(dir, "exp.yaml");
    writeFileSync(
      p,
      readFileSync(p, "utf8").replace(
        "  tables: {exposures: exposures, events: events}\n",
        (m) => `${m}  columns:\n    exposures: { ts_unit: ms }\n    events: { ts_unit: s }\n`,
      ),
    );
    const r = exp(dir, ["doctor", "--format", "json"]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.deepEqual(
      report.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.message]),
      [
        [
          "EXP6127",
          'The exposures column "exposures.ts" is TIMESTAMP WITH TIME ZONE, but exp.yaml declares ts_unit for it; remove warehouse.columns.exposures.ts_unit.',
        ],
      ],
    );
    // The declared seconds are read as seconds: 1762077900 is 2025-11-02T10:05:00Z.
    assert.equal(report.tables.find((t) => t.role === "events")!.range?.from, "2025-11-02T10:05:00.000Z");
  });

  test("an optional column that a metric reads is required, naming the metric", () => {
    const dir = csvWorkspace(exposures, events);
    writeFileSync(join(dir, "metrics", "revenue_per_user.yaml"), "metric: revenue_per_user\nexpr: sum(purchase.revenue)\n");
    const r = exp(dir, ["doctor", "--format", "json"]);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    const properties = report.diagnostics.find((d) => d.code === "EXP6121" && d.message.includes('"properties"'));
    assert.ok(properties, JSON.stringify(report.diagnostics));
    assert.match(properties.message, /The events table "events" has no column "properties" \(read by "revenue_per_user"\)/);
    assert.equal(properties.severity, "error");
  });

  test("a table that is not there is named, with did-you-mean over the tables that are", async () => {
    const dir = csvWorkspace(exposures, events);
    const p = join(dir, "exp.yaml");
    writeFileSync(
      p,
      readFileSync(p, "utf8")
        .replace('files: ["data/*.csv"]', "path: w.duckdb")
        .replace("tables: {exposures: exposures, events: events}", "tables: {exposures: exposure, events: events}"),
    );
    const instance = await DuckDBInstance.create(join(dir, "w.duckdb"));
    const db = await instance.connect();
    await db.run("CREATE TABLE exposures (unit_id TEXT, experiment TEXT, variant TEXT, ts TIMESTAMP)");
    await db.run("CREATE TABLE events (unit_id TEXT, event TEXT, ts TIMESTAMP, value VARCHAR)");
    db.closeSync();
    instance.closeSync();
    const r = exp(dir, ["doctor", "--format", "json"]);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    const table = report.diagnostics.find((d) => d.code === "EXP6120");
    assert.ok(table, JSON.stringify(report.diagnostics));
    assert.match(table.message, /The exposures table "exposure" is not in the warehouse/);
    assert.equal(table.suggestion, 'did you mean "exposures"? set it in exp.yaml: warehouse: { tables: { exposures: exposures } }');
    const value = report.diagnostics.find((d) => d.code === "EXP6124");
    assert.ok(value, JSON.stringify(report.diagnostics));
    assert.match(value.message, /"events.value" is VARCHAR, but value must be a number; cast it/);
  });

  test("the reference DuckDB layout is clean: exit 0, row counts per variant and the time range", async () => {
    const { dir } = await duckDbWorkspace("conversion");
    const r = exp(dir, ["doctor", "--format", "json"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as DoctorJson;
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.diagnostics.filter((d) => d.severity === "error"),
      [],
    );
    const expo = report.tables.find((t) => t.role === "exposures")!;
    assert.equal(expo.status, "ok");
    assert.ok((expo.variants ?? []).length >= 2);
    assert.ok(expo.range?.from && expo.range.to);
  });
});
