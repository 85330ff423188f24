import { clickhouseString } from "../compiler/sql/dialects/clickhouse.js";
import type { Warehouse } from "./warehouse.js";
import { WarehouseError } from "./warehouse.js";

/**
 * The column names of a warehouse table, from information_schema (DuckDB and PostgreSQL both have it,
 * and DuckDB lists the views of a `files:` connection there too). A schema-qualified name
 * ("analytics.exposures") looks in that schema. Undefined when the table is not there or the
 * catalogue cannot be read: the analysis query then reports the problem in its own words.
 */
export async function tableColumns(warehouse: Warehouse, table: string): Promise<Set<string> | undefined> {
  const types = await tableColumnTypes(warehouse, table);
  return types === undefined ? undefined : new Set(types.keys());
}

/** Like `tableColumns`, with each column's type as the catalogue spells it ("BIGINT", "timestamp with time zone"). */
export async function tableColumnTypes(warehouse: Warehouse, table: string): Promise<Map<string, string> | undefined> {
  const parts = table.split(".");
  const name = parts.at(-1)!;
  const schema = parts.length > 1 ? parts.at(-2) : undefined;
  if (warehouse.dialect === "clickhouse") return clickhouseColumnTypes(warehouse, name, schema);
  const sql = [
    "SELECT column_name, data_type FROM information_schema.columns",
    `WHERE CAST(table_name AS VARCHAR) = $1${schema === undefined ? "" : " AND CAST(table_schema AS VARCHAR) = $2"}`,
    "ORDER BY ordinal_position",
  ].join("\n");
  try {
    const rows = await warehouse.query(sql, schema === undefined ? [name] : [name, schema]);
    return rows.length === 0 ? undefined : new Map(rows.map((r) => [String(r["column_name"]), String(r["data_type"])]));
  } catch (err) {
    if (err instanceof WarehouseError) return undefined;
    throw err;
  }
}

/**
 * ClickHouse 18.16 has no information_schema (and no bound parameters): its catalogue is
 * system.columns, and a name without a database means the connection's database.
 */
async function clickhouseColumnTypes(
  warehouse: Warehouse,
  name: string,
  database: string | undefined,
): Promise<Map<string, string> | undefined> {
  const sql = [
    "SELECT name AS column_name, type AS data_type FROM system.columns",
    `WHERE database = ${database === undefined ? "currentDatabase()" : clickhouseString(database)} AND table = ${clickhouseString(name)}`,
  ].join("\n");
  try {
    const rows = await warehouse.query(sql);
    return rows.length === 0 ? undefined : new Map(rows.map((r) => [String(r["column_name"]), String(r["data_type"])]));
  } catch (err) {
    if (err instanceof WarehouseError) return undefined;
    throw err;
  }
}
