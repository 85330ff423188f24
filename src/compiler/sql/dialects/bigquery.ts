import type { EpochUnit } from "../../../workspace/model.js";
import { baseDialect, type SqlDialect, type SqlType } from "../dialect.js";

const types: Record<SqlType, string> = { double: "FLOAT64", boolean: "BOOL", date: "DATE", timestamp: "TIMESTAMP", string: "STRING" };

const EPOCH_FUNCTIONS: Record<EpochUnit, string> = { s: "TIMESTAMP_SECONDS", ms: "TIMESTAMP_MILLIS", us: "TIMESTAMP_MICROS" };

function escapeChar(c: string): string {
  if (c === "\\") return "\\\\";
  if (c === "'") return "\\'";
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * BigQuery (GoogleSQL): backtick identifiers, backslash-escaped strings in which raw line breaks
 * are not allowed, SAFE_CAST, JSON_VALUE, TIMESTAMP_ADD/TIMESTAMP_DIFF. Values are inlined.
 */
export const bigqueryDialect: SqlDialect = {
  ...baseDialect,
  name: "bigquery",
  quoteIdentifier: (name) => `\`${name.replace(/[\\`]/g, (c) => `\\${c}`)}\``,
  // eslint-disable-next-line no-control-regex
  stringLiteral: (v) => `'${v.replace(/[\\'\u0000-\u001f\u007f]/g, escapeChar)}'`,
  typeName: (t) => types[t],
  tryCast(expr, type) {
    return `SAFE_CAST(${expr} AS ${this.typeName(type)})`;
  },
  jsonText(column, key) {
    return `JSON_VALUE(${column}, ${this.stringLiteral(`$.${key}`)})`;
  },
  addSeconds: (ts, s) => `TIMESTAMP_ADD(${ts}, INTERVAL ${s} SECOND)`,
  secondsBetween: (start, end) => `(TIMESTAMP_DIFF(${end}, ${start}, MICROSECOND) / 1000000)`,
  timestampFromEpoch(expr, unit) {
    return `${EPOCH_FUNCTIONS[unit]}(CAST(${expr} AS INT64))`;
  },
  startsWith: (h, p) => `STARTS_WITH(${h}, ${p})`,
  endsWith: (h, s) => `ENDS_WITH(${h}, ${s})`,
  regexMatches: (v, p) => `REGEXP_CONTAINS(${v}, ${p})`,
};
