import type { SqlContext } from "../context.js";
import { eventColumn, EVENT_ALIAS } from "../event-property.js";
import { bucketCtes } from "./holdout-bucket.js";

/** The two groups of a holdout analysis (docs/analysis.md#holdouts). */
export const HOLDOUT_GROUPS = { held: "holdout", shipped: "everyone_else" } as const;

export interface HoldoutPopulation {
  readonly key: string;
  /** The holdout's traffic in basis points, as the ruleset has it. */
  readonly trafficBp: number;
  /** ISO-8601: only events from then on; a unit's first event after it is its "exposure". */
  readonly since?: string;
}

/**
 * docs/analysis.md#holdouts: the population is every unit with an event in [since, as-of), first
 * "exposed" at its first event there; it is in the holdout when bucket("holdout:<key>", unit) < the traffic,
 * the runtime's own test (docs/hashing.md), computed in SQL because no table records it. The result has
 * the columns of exposure_units, so the exposure summary and first_exposure read it unchanged.
 */
export function holdoutUnitsCtes(ctx: SqlContext, holdout: HoldoutPopulation): string[] {
  const ts = eventColumn(ctx, "ts");
  const unit = eventColumn(ctx, "unit_id");
  const bounds = [
    ...(holdout.since !== undefined ? [`${ts} >= ${ctx.dialect.timestampFrom(ctx.params.string(holdout.since))}`] : []),
    ...(ctx.asOf !== undefined ? [`${ts} < ${ctx.dialect.timestampFrom(ctx.params.string(ctx.asOf))}`] : []),
  ];
  const where = bounds.length ? `  WHERE ${bounds.join(" AND ")}` : undefined;
  const group = `CASE WHEN b.bucket < ${Math.round(holdout.trafficBp)} THEN '${HOLDOUT_GROUPS.held}' ELSE '${HOLDOUT_GROUPS.shipped}' END`;
  return [
    [
      "-- exp:holdout_units",
      "holdout_seen AS (",
      `  SELECT ${ctx.dialect.cast(unit, "string")} AS unit_id, MIN(${ts}) AS first_ts, MAX(${ts}) AS last_ts`,
      `  FROM ${ctx.tables.events} AS ${EVENT_ALIAS}`,
      ...(where ? [where] : []),
      `  GROUP BY ${unit}`,
      ")",
    ].join("\n"),
    `holdout_source AS (SELECT unit_id, ${ctx.params.string(`holdout:${holdout.key}/`)} || unit_id AS s FROM holdout_seen)`,
    ...bucketCtes(ctx.dialect.name, "holdout_source", "holdout_bucket"),
    [
      "exposure_units AS (",
      `  SELECT h.unit_id, ${group} AS variant, ${group} AS last_variant, h.first_ts, h.last_ts`,
      "  FROM holdout_seen AS h",
      "  JOIN holdout_bucket AS b ON b.unit_id = h.unit_id",
      ")",
    ].join("\n"),
  ];
}
