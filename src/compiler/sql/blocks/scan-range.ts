import type { SqlContext } from "../context.js";
import { eventColumn, FIRST_EXPOSURE } from "../event-property.js";
import type { PlannedMetric } from "../metric-plan.js";

/** The time range one scan of the events must cover, relative to first exposure (seconds). */
export interface ScanRange {
  readonly from: number;
  readonly to: number;
}

export function scanRange(plans: readonly PlannedMetric[]): ScanRange {
  return {
    from: Math.min(0, ...plans.map((p) => -(p.lookbackSeconds ?? 0))),
    to: Math.max(...plans.map((p) => p.windowSeconds)),
  };
}

/** `ts` relative to first exposure: `offset` seconds after it (before it when negative). */
export function offsetTs(ctx: SqlContext, offset: number): string {
  return offset === 0 ? FIRST_EXPOSURE : ctx.dialect.addSeconds(FIRST_EXPOSURE, offset);
}

/** Predicates for [from, to) that the scan's own bounds do not already imply. */
export function rangePredicates(ctx: SqlContext, scan: ScanRange, from: number, to: number): string[] {
  const ts = eventColumn(ctx, "ts");
  const out: string[] = [];
  if (from !== scan.from) out.push(`${ts} >= ${offsetTs(ctx, from)}`);
  if (to !== scan.to) out.push(`${ts} < ${offsetTs(ctx, to)}`);
  return out;
}
