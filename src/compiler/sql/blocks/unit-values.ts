import { type CompiledAggregate, unitAggregateSql } from "../aggregate.js";
import type { SqlContext } from "../context.js";
import { eventColumn, UNIT_ALIAS } from "../event-property.js";
import { allAggregates, type PlannedMetric } from "../metric-plan.js";
import { prePeriodColumns } from "./cuped-pre-period.js";
import { eventsDriveJoin, scannedUnitId, stitchPredicates, unitEventJoin } from "./identity-stitch.js";
import { offsetTs, rangePredicates, scanRange, type ScanRange } from "./scan-range.js";

/** The events scan shared by every metric of the query: one join, bounded by the widest range. */
export function eventScan(ctx: SqlContext, events: string[], scan: ScanRange, extra: string[] = []): string[] {
  const ts = eventColumn(ctx, "ts");
  const names = events.map((e) => ctx.params.string(e));
  const where = [
    names.length === 1 ? `${eventColumn(ctx, "event")} = ${names[0]}` : `${eventColumn(ctx, "event")} IN (${names.join(", ")})`,
    `${ts} >= ${offsetTs(ctx, scan.from)}`,
    `${ts} < ${offsetTs(ctx, scan.to)}`,
  ];
  if (ctx.asOf !== undefined) where.push(`${ts} < ${ctx.dialect.timestampFrom(ctx.params.string(ctx.asOf))}`);
  where.push(...stitchPredicates(ctx), ...extra);
  return [...unitEventJoin(ctx), `  WHERE ${where.join("\n    AND ")}`];
}

/**
 * docs/analysis.md (semantics, rule 2): per unit, each aggregate over its events in [first_exposure, first_exposure + window).
 * Units without any scanned event are absent here; unit_metrics zero-fills them.
 */
export function unitValuesCte(
  ctx: SqlContext,
  plans: readonly PlannedMetric[],
  compiled: Map<PlannedMetric, CompiledAggregate[]>,
): string | undefined {
  const scan = scanRange(plans);
  const events = [...new Set(plans.flatMap((p) => allAggregates(p).map((a) => a.event)))];
  const oneEvent = events.length === 1;
  const columns: string[] = [];
  const pre: string[] = [];
  for (const plan of plans) {
    const aggs = compiled.get(plan)!;
    const range = rangePredicates(ctx, scan, 0, plan.windowSeconds);
    // A CUPED covariate's aggregates (after the metric's own) are only read over the lookback.
    for (const [j, c] of aggs.slice(0, plan.aggregates.length).entries()) {
      const sql = unitAggregateSql(ctx, c, range, oneEvent);
      if (sql === undefined) return undefined;
      columns.push(`    ${sql} AS ${plan.prefix}_a${j}`);
    }
    const covariate = prePeriodColumns(ctx, plan, aggs, scan, oneEvent);
    if (covariate === undefined) return undefined;
    pre.push(...covariate);
  }
  if (pre.length > 0) pre[0] = `    -- exp:cuped_pre_period\n${pre[0]}`;
  const select = [...columns, ...pre];
  return [
    "-- exp:unit_values",
    "unit_values AS (",
    `  SELECT ${scannedUnitId(ctx)},`,
    select.join(",\n"),
    ...eventScan(ctx, events, scan),
    `  GROUP BY ${eventsDriveJoin(ctx) ? eventColumn(ctx, "unit_id") : `${UNIT_ALIAS}.unit_id`}`,
    ")",
  ].join("\n");
}
