import { SESSION_UNIT, type Experiment } from "../../../workspace/model.js";
import type { SqlContext } from "../context.js";
import { EVENT_ALIAS, eventColumn, UNIT_ALIAS } from "../event-property.js";

/** docs/analysis.md#identity-stitching: `analysis.identity_window` when an experiment does not set it. */
export const DEFAULT_IDENTITY_WINDOW_SECONDS = 30 * 86400;

/**
 * The attribution window of an experiment whose events are stitched, undefined for the others: a
 * session experiment attributes events by session, which the identity map says nothing about.
 */
export function stitchWindow(experiment: Experiment): number | undefined {
  if (experiment.identity !== "anonymous" || experiment.unit === SESSION_UNIT) return undefined;
  return experiment.analysis.identity_window?.seconds ?? DEFAULT_IDENTITY_WINDOW_SECONDS;
}

/** Table alias of unit_ids in the events scan. */
const ALIAS = "k";

/**
 * docs/analysis.md#identity-stitching: an experiment that randomises anonymous ids sees a visitor's
 * events under two ids — the anonymous id itself, and the user id it logged in as. `identity_map`
 * keeps each exposed anonymous id's latest mapping (a remap replaces the earlier one); `unit_ids`
 * lists, per unit, the ids its events are logged under: its own (no time bound) and its user's
 * within [mapped_at, mapped_at + window). Both CTEs with their trailing comma, to follow
 * first_exposure; nothing without `ctx.stitch`.
 */
export function identityStitchCtes(ctx: SqlContext): string[] {
  const stitch = ctx.stitch;
  if (!stitch) return [];
  const i = stitch.columns;
  const asOf = ctx.asOf === undefined ? [] : [`i.${i.ts} < ${ctx.dialect.timestampFrom(ctx.params.string(ctx.asOf))}`];
  return [
    "-- exp:identity_map",
    "identity_map AS (",
    "  SELECT anonymous_id, user_id, mapped_at",
    "  FROM (",
    `    SELECT i.${i.anonymous_id} AS anonymous_id, i.${i.unit_id} AS user_id, i.${i.ts} AS mapped_at,`,
    // Ties on the time pick one mapping deterministically.
    `      ROW_NUMBER() OVER (PARTITION BY i.${i.anonymous_id} ORDER BY i.${i.ts} DESC, i.${i.unit_id} DESC) AS latest`,
    `    FROM ${stitch.table} AS i`,
    `    WHERE ${[`i.${i.anonymous_id} IN (SELECT unit_id FROM first_exposure)`, ...asOf].join(" AND ")}`,
    "  ) AS identity_rows",
    "  WHERE latest = 1 AND anonymous_id <> user_id",
    "),",
    "-- exp:unit_ids",
    "unit_ids AS (",
    // The untyped NULLs take their type from the other branch, in every dialect.
    "  SELECT unit_id, unit_id AS event_unit_id, NULL AS mapped_at, NULL AS mapped_until",
    "  FROM first_exposure",
    "  UNION ALL",
    `  SELECT anonymous_id, user_id, mapped_at, ${ctx.dialect.addSeconds("mapped_at", stitch.windowSeconds)}`,
    "  FROM identity_map",
    "),",
  ];
}

/**
 * For a dialect with `distributedUnitJoin` (ClickHouse): the events table is the FROM side, so that
 * on a Distributed table the scan and the per-unit aggregation run on each shard, and the units
 * (first_exposure, computed once) are sent to the shards (GLOBAL). The engine takes this only with
 * USING, so the events' unit column must be named `unit_id` like the units'; session and stitched
 * experiments keep the units-first join.
 */
export function eventsDriveJoin(ctx: SqlContext): boolean {
  return (
    ctx.dialect.distributedUnitJoin === true &&
    !ctx.stitch &&
    !ctx.sessionUnit &&
    ctx.eventColumns.unit_id === ctx.dialect.quoteIdentifier("unit_id")
  );
}

/** The unit id of a scanned event row: the units' column, or the events' one when they drive the join (USING merges the two). */
export function scannedUnitId(ctx: SqlContext): string {
  return eventsDriveJoin(ctx) ? `${eventColumn(ctx, "unit_id")} AS unit_id` : `${UNIT_ALIAS}.unit_id`;
}

/**
 * The events scan's FROM and JOIN lines: events join their unit directly, or through unit_ids in
 * a stitched experiment. A session experiment attributes events to the session they happened in.
 */
export function unitEventJoin(ctx: SqlContext): string[] {
  const eventUnit = eventColumn(ctx, ctx.sessionUnit ? "session_id" : "unit_id");
  if (eventsDriveJoin(ctx))
    return [`  FROM ${ctx.tables.events} AS ${EVENT_ALIAS}`, `  GLOBAL ALL INNER JOIN first_exposure AS ${UNIT_ALIAS} USING unit_id`];
  if (!ctx.stitch)
    return [
      `  FROM first_exposure AS ${UNIT_ALIAS}`,
      `  JOIN ${ctx.tables.events} AS ${EVENT_ALIAS} ON ${eventUnit} = ${UNIT_ALIAS}.unit_id`,
    ];
  return [
    `  FROM first_exposure AS ${UNIT_ALIAS}`,
    `  JOIN unit_ids AS ${ALIAS} ON ${ALIAS}.unit_id = ${UNIT_ALIAS}.unit_id`,
    `  JOIN ${ctx.tables.events} AS ${EVENT_ALIAS} ON ${eventUnit} = ${ALIAS}.event_unit_id`,
  ];
}

/**
 * The stitched events' time bound, and their de-duplication: an event logged under both ids (the
 * same `event_id` under the anonymous id too) is counted once, through the anonymous id. Nothing
 * without `ctx.stitch`.
 */
export function stitchPredicates(ctx: SqlContext): string[] {
  if (!ctx.stitch) return [];
  const ts = eventColumn(ctx, "ts");
  const e = ctx.eventColumns;
  const twin = `SELECT 1 FROM ${ctx.tables.events} AS d WHERE d.${e.unit_id} = ${ALIAS}.unit_id AND d.${e.event_id} = ${eventColumn(ctx, "event_id")}`;
  return [`(${ALIAS}.mapped_at IS NULL OR (${ts} >= ${ALIAS}.mapped_at AND ${ts} < ${ALIAS}.mapped_until AND NOT EXISTS (${twin})))`];
}
