import type { SqlContext } from "../context.js";
import { exposureUnitsCte } from "./first-exposure.js";

/**
 * Units per variant after excluding units seen in several variants (their row has a NULL
 * variant and counts multiple_exposures), and the first and last exposure times: the data window.
 */
export function exposureSummarySql(ctx: SqlContext, experiment: string): string {
  const variant = "CASE WHEN variant = last_variant THEN variant END";
  return [
    `-- exp:exposure_summary ${experiment}`,
    "WITH",
    exposureUnitsCte(ctx, experiment),
    `SELECT ${variant} AS variant, ${ctx.dialect.cast("COUNT(*)", "double")} AS units, MIN(first_ts) AS first_exposure, MAX(last_ts) AS last_exposure`,
    "FROM exposure_units",
    `GROUP BY ${variant}`,
    "ORDER BY variant",
  ].join("\n");
}

/**
 * The same summary for the batch query: a one-row CTE over exposure_units, cross-joined into the
 * per-variant rows (a join rather than scalar subqueries, which some SQL grammars reject).
 */
export function exposureTotalsCte(ctx: SqlContext): string {
  return [
    "-- exp:exposure_summary",
    "exposure_totals AS (",
    `  SELECT ${ctx.dialect.cast("COUNT(CASE WHEN variant <> last_variant THEN 1 END)", "double")} AS multiple_exposures, MIN(first_ts) AS first_exposure, MAX(last_ts) AS last_exposure`,
    "  FROM exposure_units",
    ")",
  ].join("\n");
}

export const EXPOSURE_TOTAL_COLUMNS = ["multiple_exposures", "first_exposure", "last_exposure"] as const;
