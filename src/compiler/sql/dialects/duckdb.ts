import { baseDialect, EPOCH_UNITS_PER_SECOND, type SqlDialect } from "../dialect.js";

/** DuckDB: `$n` parameters, json_extract_string, epoch arithmetic, native string predicates. */
export const duckdbDialect: SqlDialect = {
  ...baseDialect,
  name: "duckdb",
  placeholder: (i) => `$${i}`,
  jsonText(column, key) {
    return `json_extract_string(${column}, ${this.stringLiteral(`$.${key}`)})`;
  },
  addSeconds: (ts, s) => `${ts} ${s < 0 ? "-" : "+"} INTERVAL '${Math.abs(s)} seconds'`,
  // epoch_us keeps microseconds exact; epoch() would round through a double of seconds.
  secondsBetween: (start, end) => `((epoch_us(${end}) - epoch_us(${start})) / 1000000.0)`,
  // make_timestamp(µs) is a TIMESTAMP; to_timestamp() would give a TIMESTAMPTZ in the session's zone.
  timestampFromEpoch(expr, unit) {
    return `make_timestamp(CAST(round(${this.cast(expr, "double")} * ${1000000 / EPOCH_UNITS_PER_SECOND[unit]}) AS BIGINT))`;
  },
  contains: (h, n) => `contains(${h}, ${n})`,
  startsWith: (h, p) => `starts_with(${h}, ${p})`,
  endsWith: (h, s) => `ends_with(${h}, ${s})`,
  regexMatches: (v, p) => `regexp_matches(${v}, ${p})`,
};
