import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

/**
 * Loads the demo CSVs into a fresh DuckDB file as the docs/workspace.md `exposures` and `events` tables
 * (with the configured table names). The file is replaced whole: the demo data is disposable.
 */
export async function loadDemoWarehouse(path: string, csvDir: string, tables: { exposures: string; events: string }): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const db = await DuckDBInstance.create(path);
  const c = await db.connect();
  try {
    const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
    const id = (s: string) => `"${s.replace(/"/g, '""')}"`;
    await c.run(`CREATE TABLE ${id(tables.exposures)} AS SELECT * FROM read_csv(${q(`${csvDir}/exposures.csv`)}, header = true, columns = {
      'unit_id': 'VARCHAR', 'experiment': 'VARCHAR', 'variant': 'VARCHAR', 'ts': 'TIMESTAMP', 'session_id': 'VARCHAR', 'attributes': 'JSON',
      'phase': 'INTEGER'})`);
    await c.run(`CREATE TABLE ${id(tables.events)} AS SELECT * FROM read_csv(${q(`${csvDir}/events.csv`)}, header = true, columns = {
      'unit_id': 'VARCHAR', 'session_id': 'VARCHAR', 'event': 'VARCHAR', 'ts': 'TIMESTAMP', 'value': 'DOUBLE', 'properties': 'JSON', 'event_id': 'VARCHAR'})`);
    await c.run("CHECKPOINT");
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
