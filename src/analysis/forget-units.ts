import { DuckDBInstance } from "@duckdb/node-api";
import { existsSync } from "node:fs";
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { Settings } from "../workspace/model.js";
import { ANALYSIS_CODES } from "./codes.js";
import { quoteName } from "./inspect/quote.js";
import { WarehouseError } from "./warehouse.js";

/**
 * Deletes the rows of units from the exposures and events tables of a DuckDB database file (opened
 * read-write, unlike an analysis), by their ids as the warehouse holds them: hashed when the data
 * came from a server with `hash_unit_ids`. A CHECKPOINT afterwards writes the deletion into the
 * file, so that the rows do not linger in its write-ahead log. Returns the rows deleted per table.
 */
export async function deleteUnitsFromDuckDb(
  path: string,
  warehouse: Pick<Settings["warehouse"], "tables" | "columns">,
  storedIds: readonly string[],
): Promise<{ exposures: number; events: number }> {
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
    const out = { exposures: 0, events: 0 };
    for (const kind of ["exposures", "events"] as const) {
      const r = await c.runAndReadAll(
        `DELETE FROM ${quoteName(warehouse.tables[kind])} WHERE list_contains(${ids}, ${quoteName(warehouse.columns[kind].unit_id)})`,
      );
      out[kind] = Number(r.getRowsJS()[0]?.[0] ?? 0);
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
