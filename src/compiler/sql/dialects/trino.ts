import { baseDialect, type SqlDialect } from "../dialect.js";

/** Trino: standard literals, json_extract_scalar, date_add/date_diff with unit strings. Values are inlined. */
export const trinoDialect: SqlDialect = {
  ...baseDialect,
  name: "trino",
  addSeconds: (ts, s) => `date_add('second', ${s}, ${ts})`,
  secondsBetween: (start, end) => `(date_diff('millisecond', ${start}, ${end}) / 1000.0)`,
  startsWith: (h, p) => `starts_with(${h}, ${p})`,
};
