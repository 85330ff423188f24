// Epoch timestamps on a real PostgreSQL: the reference CUPED dataset with `ts` stored as BIGINT epoch
// milliseconds (converted by PostgreSQL itself). Declared with `ts_unit: ms`, `exp analyze` reproduces
// test/reference; undeclared, it is refused with the declaration to add.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { compareToReference, describeMismatches } from "../../analysis/compare.js";
import {
  datasetWorkspace,
  loadPostgres,
  PG_URL_ENV,
  readDataset,
  removeWorkspaces,
  type ReferenceDataset,
} from "../../analysis/reference-workspace.js";
import { startPostgres, type PostgresCluster } from "../../helpers/postgres.js";
import { exp } from "../../helpers/workspace.js";

const DATASET = "cuped";

function declareUnits(dir: string, columns: string): void {
  const file = join(dir, "exp.yaml");
  const yaml = readFileSync(file, "utf8").replace(
    /(  tables: \{ exposures: exposures, events: events \}\n)(  columns:\n(    .*\n)*)?/,
    (_m, tables: string) => tables + columns,
  );
  writeFileSync(file, yaml);
}

describe("epoch-millisecond timestamps on PostgreSQL", () => {
  let cluster: PostgresCluster;
  let ds: ReferenceDataset;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    cluster = await startPostgres();
    ds = readDataset(DATASET);
    dir = datasetWorkspace(ds);
    const url = await cluster.createDatabase("epoch_ms");
    await loadPostgres(url, DATASET);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const table of ["exposures", "events"])
        await client.query(`ALTER TABLE ${table} ALTER COLUMN ts TYPE BIGINT USING round(extract(epoch FROM ts) * 1000)::bigint`);
    } finally {
      await client.end();
    }
    env = { [PG_URL_ENV]: url };
  });
  after(async () => {
    removeWorkspaces();
    await cluster?.stop();
  });

  const analyze = () => exp(dir, ["analyze", ds.experiment, "--format", "json", "--as-of", ds.design.as_of, "--connection", "pg"], env);

  test("undeclared, exp analyze refuses the BIGINT ts columns and names the ts_unit declaration", () => {
    declareUnits(dir, "");
    const r = analyze();
    assert.equal(r.status, 1, r.stdout + r.stderr);
    for (const table of ["exposures", "events"]) {
      assert.match(r.stderr, new RegExp(`EXP6123\\]: The ${table} column "${table}\\.ts" holds epoch milliseconds, not timestamps`));
      assert.match(r.stderr, new RegExp(`warehouse: \\{ columns: \\{ ${table}: \\{ ts_unit: ms \\} \\} \\}`));
    }
    assert.doesNotMatch(r.stderr, /operator does not exist/);
  });

  test("declared with ts_unit: ms, exp analyze reproduces the reference results", () => {
    declareUnits(dir, "  columns:\n    exposures: { ts_unit: ms }\n    events: { ts_unit: ms }\n");
    const r = analyze();
    assert.equal(r.status, 0, r.stderr);
    const mismatches = compareToReference(JSON.parse(r.stdout), ds.expected[0], DATASET);
    assert.equal(mismatches.length, 0, describeMismatches(mismatches));
  });
});
