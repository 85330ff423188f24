import type { SqlContext } from "../context.js";
import type { PlannedMetric } from "../metric-plan.js";
import { exposureFilter, firstExposureCte } from "./first-exposure.js";
import { statColumns } from "./sufficient-stats.js";

/** The first exposures before their slice is attached. */
const UNSLICED = "unsliced_exposure";

/**
 * docs/analysis.md#dimensions: the units of first_exposure, each with its slice — the attribute's
 * value on its first exposure row (the smallest when several rows share that instant), NULL when the
 * row has no such attribute. Named first_exposure so that the metric blocks read it unchanged.
 */
export function slicedFirstExposureCtes(ctx: SqlContext, experiment: string, attribute: string): string {
  const c = ctx.exposureColumns;
  const unit = ctx.sessionUnit ? c.session_id : c.unit_id;
  const slice = ctx.dialect.jsonText(`x.${c.attributes}`, attribute);
  return [
    `${firstExposureCte(ctx, experiment, UNSLICED)},`,
    "-- exp:unit_slice",
    "first_exposure AS (",
    `  SELECT f0.unit_id, f0.variant, f0.first_exposure, MIN(${slice}) AS slice`,
    `  FROM ${UNSLICED} AS f0`,
    `  INNER JOIN ${ctx.tables.exposures} AS x ON x.${unit} = f0.unit_id AND x.${c.ts} = f0.first_exposure`,
    `  WHERE ${exposureFilter(ctx, experiment)}`,
    "  GROUP BY f0.unit_id, f0.variant, f0.first_exposure",
    ")",
  ].join("\n");
}

/**
 * docs/analysis.md#dimensions: per variant and slice, the units and each metric's sums (the same
 * columns as sufficient_stats), plus Σ y_a·y_b for each pair in `products` (a fairness outcome and
 * its label: the true and false positives of equalized odds).
 */
export function sliceStatsSelect(
  ctx: SqlContext,
  plans: readonly PlannedMetric[],
  products: readonly (readonly [PlannedMetric, PlannedMetric])[] = [],
): string {
  const columns = statColumns(ctx, plans);
  for (const [a, b] of products) columns.push(`  SUM(${a.prefix}_y * ${b.prefix}_y) AS ${a.prefix}_${b.prefix}_product`);
  return [
    "-- exp:slice_stats",
    `SELECT variant, slice, ${ctx.dialect.cast("COUNT(*)", "double")} AS units,`,
    columns.join(",\n"),
    "FROM unit_metrics",
    "GROUP BY variant, slice",
    "ORDER BY variant, slice",
  ].join("\n");
}
