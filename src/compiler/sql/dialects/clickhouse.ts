import { baseDialect, EPOCH_UNITS_PER_SECOND, type SqlDialect, type SqlType } from "../dialect.js";

const types: Record<SqlType, string> = { double: "Float64", boolean: "UInt8", date: "Date", timestamp: "DateTime", string: "String" };

/** Conversions that keep NULL (CAST to a non-Nullable type fails on it). */
const CONVERT: Record<SqlType, string> = {
  double: "toFloat64",
  boolean: "toUInt8",
  date: "toDate",
  timestamp: "toDateTime",
  string: "toString",
};

/** Parsing functions that give NULL for text that is not a value of the type. */
const OR_NULL: Record<SqlType, string> = {
  double: "toFloat64OrNull",
  boolean: "toUInt8OrNull",
  date: "toDateOrNull",
  timestamp: "toDateTimeOrNull",
  string: "toString",
};

function escapeChar(c: string): string {
  if (c === "\\") return "\\\\";
  if (c === "'") return "\\'";
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/**
 * A ClickHouse string literal. Backslash is an escape character inside '…', so it is doubled, the
 * quote is escaped with it, and control characters are written as \xHH so that the query text
 * carries no raw line breaks or tabs inside a value.
 */
export function clickhouseString(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `'${value.replace(/[\\'\u0000-\u001f\u007f]/g, escapeChar)}'`;
}

/**
 * ClickHouse, written for the subset that runs on Debian's 18.16 as on current releases: no
 * `WITH name AS (…)` (the compiler inlines each block as a subquery), no window functions (so no
 * quantile metrics), no JSONExtract* (visitParam* reads top-level keys of flat JSON), DateTime with
 * whole seconds. Values are inlined: 18.16 has no query parameters. A boolean is 0/1.
 */
export const clickhouseDialect: SqlDialect = {
  ...baseDialect,
  name: "clickhouse",
  inlineCommonTables: true,
  aliasesShadowColumns: true,
  distributedUnitJoin: true,
  windowFunctions: false,
  stringLiteral: clickhouseString,
  typeName: (t) => types[t],
  cast: (expr, type) => `${CONVERT[type]}(${expr})`,
  tryCast(expr, type) {
    return type === "string" ? `toString(${expr})` : `${OR_NULL[type]}(toString(${expr}))`;
  },
  // NULL when the key is absent or JSON null; a string's unescaped text; any other value's raw text.
  jsonText(column, key) {
    const k = this.stringLiteral(key);
    const raw = `visitParamExtractRaw(${column}, ${k})`;
    return `multiIf(NOT visitParamHas(${column}, ${k}) OR ${raw} = 'null', NULL, substring(${raw}, 1, 1) = '"', visitParamExtractString(${column}, ${k}), ${raw})`;
  },
  addSeconds: (ts, s) => `addSeconds(${ts}, ${s})`,
  secondsBetween: (start, end) => `(toFloat64(toUInt32(${end})) - toFloat64(toUInt32(${start})))`,
  // The text is 'YYYY-MM-DD HH:MM:SS.mmm' in UTC; DateTime holds whole seconds.
  timestampFrom: (expr) => `toDateTime(substring(${expr}, 1, 19), 'UTC')`,
  dateFrom: (expr) => `toDate(substring(${expr}, 1, 10))`,
  timestampFromEpoch(expr, unit) {
    return `toDateTime(toUInt32(floor(toFloat64(${expr}) / ${EPOCH_UNITS_PER_SECOND[unit]})), 'UTC')`;
  },
  contains: (h, n) => `position(${h}, ${n}) > 0`,
  startsWith: (h, p) => `substring(${h}, 1, length(${p})) = ${p}`,
  endsWith: (h, s) => `substring(${h}, length(${h}) - length(${s}) + 1) = ${s}`,
  regexMatches: (v, p) => `match(${v}, ${p})`,
  lower: (e) => `lowerUTF8(${e})`,
  length: (e) => `lengthUTF8(${e})`,
  booleanLiteral: (v) => (v ? "1" : "0"),
};
