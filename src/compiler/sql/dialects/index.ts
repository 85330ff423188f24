import type { DialectName, SqlDialect } from "../dialect.js";
import { bigqueryDialect } from "./bigquery.js";
import { clickhouseDialect } from "./clickhouse.js";
import { duckdbDialect } from "./duckdb.js";
import { postgresDialect } from "./postgres.js";
import { snowflakeDialect } from "./snowflake.js";
import { trinoDialect } from "./trino.js";

export const dialects: Record<DialectName, SqlDialect> = {
  duckdb: duckdbDialect,
  postgres: postgresDialect,
  bigquery: bigqueryDialect,
  snowflake: snowflakeDialect,
  trino: trinoDialect,
  clickhouse: clickhouseDialect,
};

export const DIALECT_NAMES = Object.keys(dialects) as DialectName[];

export function isDialectName(name: string): name is DialectName {
  return Object.prototype.hasOwnProperty.call(dialects, name);
}
