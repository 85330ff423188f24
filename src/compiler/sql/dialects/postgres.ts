import { baseDialect, EPOCH_UNITS_PER_SECOND, type SqlDialect, type SqlType } from "../dialect.js";

const types: Record<SqlType, string> = {
  double: "DOUBLE PRECISION",
  boolean: "BOOLEAN",
  date: "DATE",
  timestamp: "TIMESTAMP",
  string: "TEXT",
};

/** A decimal number with an optional exponent and surrounding blanks; no backslashes, whatever standard_conforming_strings says. */
const NUMBER_PATTERN = "^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$";

/**
 * PostgreSQL: `$n` parameters typed as text (so function overloads such as length() resolve),
 * jsonb ->> extraction, interval literals. There is no TRY_CAST: a malformed property value
 * fails the query instead of becoming NULL.
 */
export const postgresDialect: SqlDialect = {
  ...baseDialect,
  name: "postgres",
  placeholder: (i) => `$${i}::text`,
  // E'' strings read backslashes the same way whatever standard_conforming_strings says.
  stringLiteral: (v) => (v.includes("\\") ? `E'${v.replace(/\\/g, "\\\\").replace(/'/g, "''")}'` : `'${v.replace(/'/g, "''")}'`),
  typeName: (t) => types[t],
  tryCast(expr, type) {
    return this.cast(expr, type);
  },
  // A boolean has no cast to a double here, and a plan cannot branch on a column's type: both go
  // through their text, which for a double is its shortest exact spelling.
  numberOrBoolean(column) {
    const text = this.cast(column, "string");
    return `CASE ${text} WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE ${this.cast(text, "double")} END`;
  },
  // What CAST reads as a finite double, and nothing else (no NaN or Infinity, as a JSON number has none).
  numberOrNull(text) {
    return `CASE WHEN ${text} ~ '${NUMBER_PATTERN}' THEN ${this.cast(text, "double")} END`;
  },
  jsonText(column, key) {
    return `(CAST(${column} AS jsonb) ->> ${this.stringLiteral(key)})`;
  },
  addSeconds: (ts, s) => `${ts} ${s < 0 ? "-" : "+"} INTERVAL '${Math.abs(s)} seconds'`,
  secondsBetween: (start, end) => `EXTRACT(EPOCH FROM (${end} - ${start}))`,
  // to_timestamp() is a timestamptz; AT TIME ZONE 'UTC' gives the UTC wall clock the other columns hold.
  timestampFromEpoch(expr, unit) {
    return `(to_timestamp(${this.cast(expr, "double")} / ${EPOCH_UNITS_PER_SECOND[unit]}) AT TIME ZONE 'UTC')`;
  },
  startsWith: (h, p) => `starts_with(${h}, ${p})`,
  endsWith: (h, s) => `RIGHT(${h}, LENGTH(${s})) = ${s}`,
  regexMatches: (v, p) => `(${v} ~ ${p})`,
};
