import { baseDialect, EPOCH_UNITS_PER_SECOND, type SqlDialect } from "../dialect.js";

/** Trino: standard literals, json_extract_scalar, date_add/date_diff with unit strings. Values are inlined. */
export const trinoDialect: SqlDialect = {
  ...baseDialect,
  name: "trino",
  addSeconds: (ts, s) => `date_add('second', ${s}, ${ts})`,
  secondsBetween: (start, end) => `(date_diff('millisecond', ${start}, ${end}) / 1000.0)`,
  // from_unixtime(x, 'UTC') is a time with zone; the cast keeps its UTC wall clock.
  timestampFromEpoch(expr, unit) {
    return `CAST(from_unixtime(${this.cast(expr, "double")} / ${EPOCH_UNITS_PER_SECOND[unit]}, 'UTC') AS TIMESTAMP)`;
  },
  startsWith: (h, p) => `starts_with(${h}, ${p})`,
};
