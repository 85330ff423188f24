import { DuckDBInstance } from "@duckdb/node-api";
import { describe } from "node:test";
import { DuckDbWarehouse } from "../../src/analysis/duckdb-warehouse.js";
import type { Warehouse } from "../../src/analysis/warehouse.js";
import { semanticsTests } from "./semantics-suite.js";

/** A fresh in-memory DuckDB per test; closing the warehouse closes the instance. */
async function openDuckDb(): Promise<Warehouse> {
  const instance = await DuckDBInstance.create(":memory:");
  const w = DuckDbWarehouse.fromConnection(await instance.connect());
  return { dialect: w.dialect, query: (sql, params) => w.query(sql, params), close: async () => instance.closeSync() };
}

describe("the analysis semantics (docs/analysis.md) on DuckDB", () => semanticsTests(openDuckDb));
