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
 * A second pass counts, per unit, its events and those at or below the arm's `value`, and sums them
 * (units, Σbelow, Σbelow², Σevents², Σbelow·events): what the stats engine needs for the standard
 * error under clustering by unit. Only sums leave the warehouse.
 */
export function quantileQueryBody(ctx: SqlContext, plan: PlannedMetric, agg: CompiledAggregate): string[] {
  const q = numberLiteral(plan.metric.quantile!);
  const p = plan.prefix;
  const spread = `${numberLiteral(Z)} * SQRT(n * ${q} * (1 - ${q}))`;
  const position = `(1 + (n - 1) * ${q})`;
  const at = (rank: string) => `MAX(CASE WHEN r = ${rank} THEN v END)`;
  const clamp = (rank: string) => `LEAST(n, GREATEST(1, ${rank}))`;
  const double = (expr: string) => ctx.dialect.cast(expr, "double");
  return [
    "-- exp:quantile_events",
    "quantile_events AS (",
    `  SELECT f.variant, f.unit_id, ${agg.value!} AS v`,
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
    "),",
    "quantile_values AS (",
    "  SELECT variant, n, below + frac * (above - below) AS value, lower_v, upper_v",
    "  FROM quantile_points",
    "),",
    "-- exp:quantile_clusters",
    "unit_events AS (",
    "  SELECT e.variant, e.unit_id, COUNT(*) AS events, SUM(CASE WHEN e.v <= q.value THEN 1 ELSE 0 END) AS at_or_below",
    "  FROM quantile_events AS e",
    "  JOIN quantile_values AS q ON q.variant = e.variant",
    "  WHERE e.v IS NOT NULL",
    "  GROUP BY e.variant, e.unit_id",
    "),",
    "quantile_clusters AS (",
    `  SELECT variant, COUNT(*) AS units, SUM(${double("at_or_below")}) AS sum_below,`,
    `    SUM(${double("at_or_below")} * at_or_below) AS sum_below2, SUM(${double("events")} * events) AS sum_events2,`,
    `    SUM(${double("at_or_below")} * events) AS sum_below_events`,
    "  FROM unit_events",
    "  GROUP BY variant",
    ")",
    "SELECT q.variant,",
    `  ${double("q.n")} AS ${p}_n,`,
    `  ${double("q.value")} AS ${p}_value,`,
    `  q.lower_v AS ${p}_lower,`,
    `  q.upper_v AS ${p}_upper,`,
    `  ${double("c.units")} AS ${p}_units,`,
    `  c.sum_below AS ${p}_sum_below,`,
    `  c.sum_below2 AS ${p}_sum_below2,`,
    `  c.sum_events2 AS ${p}_sum_events2,`,
    `  c.sum_below_events AS ${p}_sum_below_events`,
    "FROM quantile_values AS q",
    "JOIN quantile_clusters AS c ON c.variant = q.variant",
    "ORDER BY q.variant",
  ];
}
