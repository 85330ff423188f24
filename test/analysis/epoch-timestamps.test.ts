// Epoch timestamps in the user's own files: the reference CUPED dataset re-exported with `ts` as epoch
// milliseconds (by DuckDB's own epoch_ms, not by exp) and read through a `files:` connection. Declared
// with `ts_unit: ms`, `exp analyze` reproduces test/reference exactly as with TIMESTAMP columns;
// undeclared, it is refused with the declaration to add and without the engine's function list.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { exp } from "../helpers/workspace.js";
import { compareToReference, describeMismatches } from "./compare.js";
import { datasetWorkspace, readDataset, REFERENCE, removeWorkspaces, type ReferenceDataset } from "./reference-workspace.js";

const DATASET = "cuped";

/** Writes `data/<table>.csv` with the reference rows and `ts` as whole epoch milliseconds. */
async function writeEpochCsvs(dir: string): Promise<void> {
  mkdirSync(join(dir, "data"));
  const instance = await DuckDBInstance.create(":memory:");
  const db = await instance.connect();
  for (const table of ["exposures", "events"]) {
    const from = join(REFERENCE, DATASET, `${table}.csv`);
    await db.run(
      `COPY (SELECT * REPLACE (epoch_ms(CAST(ts AS TIMESTAMP)) AS ts) FROM read_csv('${from}', header = true, all_varchar = true))
       TO '${join(dir, "data", `${table}.csv`)}' (HEADER)`,
    );
  }
  db.closeSync();
  instance.closeSync();
}

/** exp.yaml reading data/*.csv, with `columns` added under `tables`. */
function setWarehouse(dir: string, columns: string): void {
  const file = join(dir, "exp.yaml");
  const yaml = readFileSync(file, "utf8")
    .replace("local: { type: duckdb, path: warehouse.duckdb }", 'local: { type: duckdb, files: ["data/*.csv"] }')
    .replace(
      /(  tables: \{ exposures: exposures, events: events \}\n)(  columns:\n(    .*\n)*)?/,
      (_m, tables: string) => tables + columns,
    );
  assert.match(yaml, /files: \["data\/\*\.csv"\]/);
  writeFileSync(file, yaml);
}

describe("epoch-millisecond timestamps in CSV files (DuckDB)", () => {
  let ds: ReferenceDataset;
  let dir: string;
  before(async () => {
    ds = readDataset(DATASET);
    dir = datasetWorkspace(ds);
    await writeEpochCsvs(dir);
  });
  after(removeWorkspaces);

  test("the CSVs hold 13-digit numbers, not times", () => {
    const first = readFileSync(join(dir, "data", "exposures.csv"), "utf8").split("\n")[1]!;
    assert.match(first, /,1\d{12},/);
  });

  test("undeclared, exp analyze refuses them and names the ts_unit declaration for each table", () => {
    setWarehouse(dir, "");
    const r = exp(dir, ["analyze", ds.experiment, "--format", "json", "--as-of", ds.design.as_of]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    for (const table of ["exposures", "events"]) {
      assert.match(r.stderr, new RegExp(`EXP6123\\]: The ${table} column "${table}\\.ts" holds epoch milliseconds, not timestamps`));
      assert.match(r.stderr, new RegExp(`add to exp\\.yaml: warehouse: \\{ columns: \\{ ${table}: \\{ ts_unit: ms \\} \\} \\}`));
    }
    assert.doesNotMatch(r.stderr, /Binder Error|Candidate functions|No function matches/);
  });

  test("declared with ts_unit: ms, exp analyze reproduces the reference results", () => {
    setWarehouse(dir, "  columns:\n    exposures: { ts_unit: ms }\n    events: { ts_unit: ms }\n");
    const r = exp(dir, ["analyze", ds.experiment, "--format", "json", "--as-of", ds.design.as_of]);
    assert.equal(r.status, 0, r.stderr);
    const mismatches = compareToReference(JSON.parse(r.stdout), ds.expected[0], DATASET);
    assert.equal(mismatches.length, 0, describeMismatches(mismatches));
  });

  test("exp doctor accepts the declared columns and reads their time range in that unit", () => {
    setWarehouse(dir, "  columns:\n    exposures: { ts_unit: ms }\n    events: { ts_unit: ms }\n");
    const r = exp(dir, ["doctor", "--format", "json"]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as { tables: { role: string; range?: { from: string; epoch?: string } }[] };
    const range = report.tables.find((t) => t.role === "exposures")!.range!;
    assert.equal(range.epoch, "ms");
    assert.match(range.from, /^2026-\d\d-\d\dT/);
  });
});
