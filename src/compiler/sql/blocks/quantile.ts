import type { CompiledAggregate } from "../aggregate.js";
import type { SqlContext } from "../context.js";
import type { PlannedMetric } from "../metric-plan.js";
import { numberLiteral } from "../params.js";
import { eventScan } from "./unit-values.js";

/** z for a two-sided 95% interval of the order statistic's rank. */
const Z = 1.959964;

/**
 * Quantile metrics are event-level (docs/analysis.md (semantics, rule 8) exception): every matching event of an exposed unit
 * in its window. Everything is picked from ROW_NUMBER order statistics rather than engine
 * percentile functions, because Trino and BigQuery only offer approximate ones:
 *   value = linear interpolation at 1-based position 1 + (n−1)·q (PERCENTILE_CONT, numpy's default),
 *   lower = x(ceil(n·q − z·√(n·q·(1−q)))), upper = x(ceil(n·q + z·√(n·q·(1−q)))), ranks clamped to [1, n].
 */
export function quantileQueryBody(ctx: SqlContext, plan: PlannedMetric, agg: CompiledAggregate): string[] {
  const q = numberLiteral(plan.metric.quantile!);
  const p = plan.prefix;
  const spread = `${numberLiteral(Z)} * SQRT(n * ${q} * (1 - ${q}))`;
  const position = `(1 + (n - 1) * ${q})`;
  const at = (rank: string) => `MAX(CASE WHEN r = ${rank} THEN v END)`;
  const clamp = (rank: string) => `LEAST(n, GREATEST(1, ${rank}))`;
  return [
    "-- exp:quantile_events",
    "quantile_events AS (",
    `  SELECT f.variant, ${agg.value!} AS v`,
    ...eventScan(ctx, [agg.agg.event], { from: 0, to: plan.windowSeconds }, agg.where === undefined ? [] : [agg.where]),
    "),",
    "-- exp:quantile",
    "ranked AS (",
    "  SELECT variant, v, ROW_NUMBER() OVER (PARTITION BY variant ORDER BY v) AS r, COUNT(*) OVER (PARTITION BY variant) AS n",
    "  FROM quantile_events",
    "  WHERE v IS NOT NULL",
    "),",
    "quantile_points AS (",
    "  SELECT variant, MAX(n) AS n,",
    `    ${at(`FLOOR(${position})`)} AS below,`,
    `    ${at(`LEAST(n, FLOOR(${position}) + 1)`)} AS above,`,
    `    MAX(${position} - FLOOR(${position})) AS frac,`,
    `    ${at(clamp(`CEIL(n * ${q} - ${spread})`))} AS lower_v,`,
    `    ${at(clamp(`CEIL(n * ${q} + ${spread})`))} AS upper_v`,
    "  FROM ranked",
    "  GROUP BY variant",
    ")",
    "SELECT variant,",
    `  ${ctx.dialect.cast("n", "double")} AS ${p}_n,`,
    `  ${ctx.dialect.cast("below + frac * (above - below)", "double")} AS ${p}_value,`,
    `  lower_v AS ${p}_lower,`,
    `  upper_v AS ${p}_upper`,
    "FROM quantile_points",
    "ORDER BY variant",
  ];
}
