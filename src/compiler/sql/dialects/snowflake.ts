import { baseDialect, EPOCH_UNITS_PER_SECOND, type SqlDialect, type SqlType } from "../dialect.js";

const types: Record<SqlType, string> = {
  double: "DOUBLE",
  boolean: "BOOLEAN",
  date: "DATE",
  timestamp: "TIMESTAMP_NTZ",
  string: "VARCHAR",
};

function escapeChar(c: string): string {
  if (c === "\\") return "\\\\";
  if (c === "'") return "''";
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/**
 * Snowflake: backslash is an escape character inside '…' literals, so it is doubled too.
 * Quoted identifiers are case-sensitive: configure table and column names in the case they were
 * created with (usually upper case). REGEXP_LIKE anchors the whole string, so a partial
 * match goes through REGEXP_INSTR. Values are inlined.
 */
export const snowflakeDialect: SqlDialect = {
  ...baseDialect,
  name: "snowflake",
  // eslint-disable-next-line no-control-regex
  stringLiteral: (v) => `'${v.replace(/[\\'\u0000-\u001f\u007f]/g, escapeChar)}'`,
  typeName: (t) => types[t],
  jsonText(column, key) {
    return `JSON_EXTRACT_PATH_TEXT(${column}, ${this.stringLiteral(key)})`;
  },
  addSeconds: (ts, s) => `DATEADD(second, ${s}, ${ts})`,
  secondsBetween: (start, end) => `(DATEDIFF(microsecond, ${start}, ${end}) / 1000000)`,
  // The scale argument says how many decimal digits of a second the number carries (0, 3 or 6).
  timestampFromEpoch(expr, unit) {
    return `TO_TIMESTAMP_NTZ(CAST(${expr} AS NUMBER(38, 0)), ${Math.log10(EPOCH_UNITS_PER_SECOND[unit])})`;
  },
  contains: (h, n) => `CONTAINS(${h}, ${n})`,
  startsWith: (h, p) => `STARTSWITH(${h}, ${p})`,
  endsWith: (h, s) => `ENDSWITH(${h}, ${s})`,
  regexMatches: (v, p) => `REGEXP_INSTR(${v}, ${p}) > 0`,
};
