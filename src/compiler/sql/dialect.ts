/**
 * What differs between SQL engines, as a small set of functions over SQL text. The base below is
 * ANSI-flavoured; each file in dialects/ spreads it and overrides only what its engine spells
 * differently, so a new engine is a page of code.
 */
import type { EpochUnit } from "../../workspace/model.js";

/** How many of each epoch unit make a second. */
export const EPOCH_UNITS_PER_SECOND: Record<EpochUnit, number> = { s: 1, ms: 1000, us: 1000000 };

export type DialectName = "duckdb" | "postgres" | "bigquery" | "snowflake" | "trino" | "clickhouse";

export type SqlType = "double" | "boolean" | "date" | "timestamp" | "string";

export interface SqlDialect {
  readonly name: DialectName;
  /** Positional placeholder for the i-th (1-based) bound parameter; absent when values are inlined. */
  readonly placeholder?: (index: number) => string;
  /** The engine has no `WITH name AS (…)`: each query's blocks are inlined as subqueries (inline-ctes.ts). */
  readonly inlineCommonTables?: boolean;
  /** A SELECT alias hides a column of the same name in the whole query (shadowed-columns.ts). */
  readonly aliasesShadowColumns?: boolean;
  /** The events scan joins the units as `FROM events GLOBAL ALL INNER JOIN units USING unit_id` (blocks/identity-stitch.ts). */
  readonly distributedUnitJoin?: boolean;
  /** False when the engine has no window functions, which the exact quantiles need. */
  readonly windowFunctions?: boolean;
  /** One identifier part, quoted. */
  quoteIdentifier(name: string): string;
  /** A string literal that the engine reads back as exactly `value`. */
  stringLiteral(value: string): string;
  /** Engine spelling of a type in CAST. */
  typeName(type: SqlType): string;
  cast(expr: string, type: SqlType): string;
  /** A cast that yields NULL instead of failing on malformed warehouse values. */
  tryCast(expr: string, type: SqlType): string;
  /**
   * A text as a double, NULL when it is not a number, on every engine, PostgreSQL too (whose
   * tryCast fails on a malformed value: a pattern test per event would double a property scan).
   * For values read once per unit, such as an attribute covariate.
   */
  numberOrNull(text: string): string;
  /** A column of numbers or of booleans (true 1, false 0) as a double, whichever it holds. */
  numberOrBoolean(column: string): string;
  /** The text of a top-level key of a JSON column (NULL when absent). */
  jsonText(column: string, key: string): string;
  /** `ts` shifted by a whole number of seconds (negative shifts back). */
  addSeconds(ts: string, seconds: number): string;
  /** (end − start) in seconds, fractional. */
  secondsBetween(start: string, end: string): string;
  /** A timestamp from a 'YYYY-MM-DD HH:MM:SS.mmm' UTC string expression. */
  timestampFrom(expr: string): string;
  dateFrom(expr: string): string;
  /** A UTC timestamp (without zone) from a number of epoch seconds, milliseconds or microseconds. */
  timestampFromEpoch(expr: string, unit: EpochUnit): string;
  /** Substring tests without LIKE, so that `%` and `_` in user strings stay literal. */
  contains(haystack: string, needle: string): string;
  startsWith(haystack: string, prefix: string): string;
  endsWith(haystack: string, suffix: string): string;
  regexMatches(value: string, pattern: string): string;
  lower(expr: string): string;
  length(expr: string): string;
  booleanLiteral(value: boolean): string;
}

function quoteDouble(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Standard SQL: quotes doubled, backslashes literal, newlines allowed inside the literal. */
function standardString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const types: Record<SqlType, string> = { double: "DOUBLE", boolean: "BOOLEAN", date: "DATE", timestamp: "TIMESTAMP", string: "VARCHAR" };

export const baseDialect: Omit<SqlDialect, "name"> = {
  quoteIdentifier: quoteDouble,
  stringLiteral: standardString,
  typeName: (t) => types[t],
  cast(expr, type) {
    return `CAST(${expr} AS ${this.typeName(type)})`;
  },
  tryCast(expr, type) {
    return `TRY_CAST(${expr} AS ${this.typeName(type)})`;
  },
  numberOrNull(text) {
    return this.tryCast(text, "double");
  },
  numberOrBoolean(column) {
    return this.cast(column, "double");
  },
  jsonText(column, key) {
    return `json_extract_scalar(${column}, ${this.stringLiteral(`$.${key}`)})`;
  },
  addSeconds: (ts, seconds) => `${ts} + INTERVAL '${seconds}' SECOND`,
  secondsBetween: (start, end) => `(EXTRACT(EPOCH FROM ${end}) - EXTRACT(EPOCH FROM ${start}))`,
  timestampFrom(expr) {
    return `CAST(${expr} AS ${this.typeName("timestamp")})`;
  },
  dateFrom(expr) {
    return `CAST(${expr} AS ${this.typeName("date")})`;
  },
  timestampFromEpoch(expr, unit) {
    return `(TIMESTAMP '1970-01-01 00:00:00' + ${this.cast(expr, "double")} / ${EPOCH_UNITS_PER_SECOND[unit]} * INTERVAL '1' SECOND)`;
  },
  contains: (h, n) => `STRPOS(${h}, ${n}) > 0`,
  startsWith: (h, p) => `SUBSTR(${h}, 1, LENGTH(${p})) = ${p}`,
  endsWith: (h, s) => `SUBSTR(${h}, LENGTH(${h}) - LENGTH(${s}) + 1) = ${s}`,
  regexMatches: (v, p) => `REGEXP_LIKE(${v}, ${p})`,
  lower: (e) => `LOWER(${e})`,
  length: (e) => `LENGTH(${e})`,
  booleanLiteral: (v) => (v ? "TRUE" : "FALSE"),
};
