import type { SqlContext } from "../context.js";

/**
 * The experiments the exposures table holds, with their first exposure and number of exposure rows:
 * what an analysis that finds no exposures shows, so that a typo in the key or an as-of time before
 * the data says so instead of passing off an empty result. Not cut at the as-of time or the phase.
 */
export function experimentListSql(ctx: SqlContext, limit = 50): string {
  const c = ctx.exposureColumns;
  return [
    "-- exp:experiment_list",
    `SELECT x.${c.experiment} AS experiment, MIN(x.${c.ts}) AS first_exposure, ${ctx.dialect.cast("COUNT(*)", "double")} AS exposures`,
    `FROM ${ctx.tables.exposures} AS x`,
    `GROUP BY x.${c.experiment}`,
    `ORDER BY x.${c.experiment}`,
    `LIMIT ${limit}`,
  ].join("\n");
}
