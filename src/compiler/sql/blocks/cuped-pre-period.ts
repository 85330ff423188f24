import { type CompiledAggregate, unitAggregateSql } from "../aggregate.js";
import type { SqlContext } from "../context.js";
import type { PlannedMetric } from "../metric-plan.js";
import { rangePredicates, type ScanRange } from "./scan-range.js";

/**
 * docs/analysis.md (semantics, rule 4): the CUPED covariate is the same metric over [first_exposure − lookback,
 * first_exposure). Its columns ride in the same events scan as the in-window values, so a CUPED
 * metric costs no second pass over the events. `days_since_exposure` keeps its meaning (it is
 * negative before exposure), so a retention covariate is usually all zero.
 */
export function prePeriodColumns(
  ctx: SqlContext,
  plan: PlannedMetric,
  aggs: CompiledAggregate[],
  scan: ScanRange,
  scanHasOneEvent: boolean,
): string[] | undefined {
  if (plan.lookbackSeconds === undefined) return [];
  const range = rangePredicates(ctx, scan, -plan.lookbackSeconds, 0);
  const out: string[] = [];
  for (const [j, c] of aggs.entries()) {
    const sql = unitAggregateSql(ctx, c, range, scanHasOneEvent);
    if (sql === undefined) return undefined;
    out.push(`    ${sql} AS ${plan.prefix}_p${j}`);
  }
  return out;
}
