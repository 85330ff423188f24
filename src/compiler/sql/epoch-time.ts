import type { SqlContext } from "./context.js";

/** The name a converted epoch `ts` is read under, so the user's own column keeps its raw numbers. */
export const CONVERTED_TS = "exp_ts";

/** The alias of the user's table inside the converting subquery. */
const RAW = "r";

/**
 * Reads each table whose `ts` holds epoch numbers (exp.yaml `columns.<table>.ts_unit`) through a
 * subquery that adds the converted timestamp as `exp_ts`, and points the context's `ts` column at it.
 * Every block then reads `FROM <table> AS x ... x.ts` the same way, whatever the table holds.
 */
export function readEpochTimestamps(ctx: SqlContext): SqlContext {
  const units = ctx.settings.warehouse.ts_units;
  if (!units?.exposures && !units?.events) return ctx;
  const { dialect } = ctx;
  const converted = dialect.quoteIdentifier(CONVERTED_TS);
  const read = (table: string, ts: string, unit: NonNullable<typeof units.events>) =>
    `(SELECT ${RAW}.*, ${dialect.timestampFromEpoch(`${RAW}.${ts}`, unit)} AS ${converted} FROM ${table} AS ${RAW})`;
  return {
    ...ctx,
    tables: {
      exposures: units.exposures ? read(ctx.tables.exposures, ctx.exposureColumns.ts, units.exposures) : ctx.tables.exposures,
      events: units.events ? read(ctx.tables.events, ctx.eventColumns.ts, units.events) : ctx.tables.events,
    },
    exposureColumns: units.exposures ? { ...ctx.exposureColumns, ts: converted } : ctx.exposureColumns,
    eventColumns: units.events ? { ...ctx.eventColumns, ts: converted } : ctx.eventColumns,
  };
}
