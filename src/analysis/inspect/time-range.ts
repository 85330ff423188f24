import { EPOCH_UNITS_PER_SECOND } from "../../compiler/sql/dialect.js";
import type { EpochUnit } from "../../workspace/model.js";
import type { Warehouse } from "../warehouse.js";
import { quoteName as quote } from "./quote.js";

export interface TimeRange {
  rows: number;
  /** ISO-8601 of the first and last `ts`, epoch numbers converted by their magnitude. */
  from?: string;
  to?: string;
  /** The smallest raw value when `ts` is a number, which tells seconds from milliseconds. */
  min?: number;
}

/**
 * Which epoch unit a number of that size is for a date between 1973 and 2286: seconds are 10 digits,
 * milliseconds 13, microseconds 16. Anything else is not a time exp can tell.
 */
export function epochUnit(n: number | undefined): EpochUnit | undefined {
  if (n === undefined || !Number.isFinite(n)) return undefined;
  if (n >= 1e8 && n < 1e10) return "s";
  if (n >= 1e11 && n < 1e13) return "ms";
  if (n >= 1e14 && n < 1e16) return "us";
  return undefined;
}

function iso(value: unknown, kind: string, declared: EpochUnit | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (kind === "number") {
    const n = Number(value);
    const unit = declared ?? epochUnit(n);
    return unit ? new Date((n * 1000) / EPOCH_UNITS_PER_SECOND[unit]).toISOString() : String(value);
  }
  const text = String(value);
  const ms = Date.parse(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(text) ? text : `${text.replace(" ", "T")}Z`);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

/** The row count and the first and last `ts` of a table; numbers are read in the declared epoch unit, else by their magnitude. */
export async function timeRange(
  warehouse: Warehouse,
  table: string,
  column: string,
  kind: string,
  declared?: EpochUnit,
): Promise<TimeRange> {
  const c = quote(column);
  // min/max on the column's own type (a time orders as a time), shown as text or a number; DOUBLE
  // PRECISION is the one spelling of a double that DuckDB and PostgreSQL share.
  // ClickHouse 18.16 does not parse DOUBLE PRECISION.
  const double = (e: string) => (warehouse.dialect === "clickhouse" ? `toFloat64(${e})` : `CAST(${e} AS DOUBLE PRECISION)`);
  const [lo, hi] =
    kind === "number" ? [`min(${double(c)})`, `max(${double(c)})`] : [`CAST(min(${c}) AS VARCHAR)`, `CAST(max(${c}) AS VARCHAR)`];
  const rows = await warehouse.query(`SELECT count(*) AS n, ${lo} AS lo, ${hi} AS hi FROM ${quote(table)}`);
  const r = rows[0] ?? {};
  const range: TimeRange = { rows: Number(r["n"] ?? 0) };
  const from = iso(r["lo"], kind, declared);
  const to = iso(r["hi"], kind, declared);
  if (from) range.from = from;
  if (to) range.to = to;
  if (kind === "number" && r["lo"] !== null && r["lo"] !== undefined) range.min = Number(r["lo"]);
  return range;
}
