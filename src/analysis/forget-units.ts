import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync } from "node:fs";
import { diagnostic } from "../diagnostics/diagnostic.js";
import { IDENTITY_MAP_LAYOUT, type Settings } from "../workspace/model.js";
import { ANALYSIS_CODES } from "./codes.js";
import { quoteName } from "./inspect/quote.js";
import { WarehouseError } from "./warehouse.js";

/**
 * Deletes the rows of units from the exposures and events tables of a DuckDB database file, and from
 * its identities table when it has one, on either side of a mapping (opened
 * read-write, unlike an analysis), by their ids as the warehouse holds them: hashed when the data
 * came from a server with `hash_unit_ids`. A CHECKPOINT afterwards writes the deletion into the
 * file, so that the rows do not linger in its write-ahead log. Returns the rows deleted per table.
 */
export async function deleteUnitsFromDuckDb(
  path: string,
  warehouse: Pick<Settings["warehouse"], "tables" | "columns">,
  storedIds: readonly string[],
): Promise<{ exposures: number; events: number; identities: number }> {
  if (!existsSync(path)) throw fail(`The DuckDB file "${path}" does not exist; check warehouse.connections in exp.yaml.`);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (err) {
    throw fail(
      `Cannot open the DuckDB file "${path}" for writing: ${(err as Error).message}; stop what holds it and run the command again.`,
    );
  }
  const c = await instance.connect();
  try {
    const ids = `[${storedIds.map(lit).join(", ")}]`;
    const out = { exposures: 0, events: 0, identities: 0 };
    const deleted = async (table: string, columns: string[]) => {
      const where = columns.map((col) => `list_contains(${ids}, ${quoteName(col)})`).join(" OR ");
      const r = await c.runAndReadAll(`DELETE FROM ${quoteName(table)} WHERE ${where}`);
      return Number(r.getRowsJS()[0]?.[0] ?? 0);
    };
    for (const kind of ["exposures", "events"] as const)
      out[kind] = await deleted(warehouse.tables[kind], [warehouse.columns[kind].unit_id]);
    // The identity map is optional: a warehouse without stitched experiments has none.
    const table = warehouse.tables.identities ?? IDENTITY_MAP_LAYOUT.table;
    const exists = await c.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE table_name = ${lit(table)}`);
    if (Number(exists.getRowsJS()[0]?.[0] ?? 0) > 0) {
      const cols = warehouse.columns.identities ?? IDENTITY_MAP_LAYOUT.columns;
      out.identities = await deleted(table, [cols.anonymous_id, cols.unit_id]);
    }
    await c.run("CHECKPOINT");
    return out;
  } catch (err) {
    if (err instanceof WarehouseError) throw err;
    throw fail(`Deleting units from "${path}" failed: ${(err as Error).message}.`);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

function fail(message: string): WarehouseError {
  return new WarehouseError(diagnostic(ANALYSIS_CODES.connectFailed, message));
}

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
