import type { SqlContext } from "../context.js";
import { numberLiteral } from "../params.js";

const X = "x";

/** Exposure rows of the experiment, cut at the as-of time, and of the analysed phase when asked. */
export function exposureFilter(ctx: SqlContext, experiment: string): string {
  const c = ctx.exposureColumns;
  const parts = [`${X}.${c.experiment} = ${ctx.params.string(experiment)}`];
  if (ctx.asOf !== undefined) parts.push(`${X}.${c.ts} < ${ctx.dialect.timestampFrom(ctx.params.string(ctx.asOf))}`);
  const phase = ctx.phase;
  if (phase && "column" in phase && c.phase !== undefined) parts.push(`${X}.${c.phase} = ${numberLiteral(phase.column)}`);
  if (phase && "since" in phase) parts.push(`${X}.${c.ts} >= ${ctx.dialect.timestampFrom(ctx.params.string(phase.since))}`);
  // A session experiment's unit is the session; an exposure without one cannot be attributed.
  if (ctx.sessionUnit) parts.push(`${X}.${c.session_id} IS NOT NULL`);
  // QA units see a forced variant: whatever was logged for them (an older SDK, or exposures from
  // before they were listed) says nothing about the randomised population. Overrides name user ids.
  if (ctx.excludedUnits)
    parts.push(`${X}.${c.unit_id} NOT IN (${[...new Set(ctx.excludedUnits)].map((u) => ctx.params.string(u)).join(", ")})`);
  return parts.join(" AND ");
}

/** The cohort's bounds on a unit's first exposure, as HAVING conditions (none without a cohort). */
function cohortConditions(ctx: SqlContext): string[] {
  const ts = `MIN(${X}.${ctx.exposureColumns.ts})`;
  const out: string[] = [];
  if (ctx.cohort?.from !== undefined) out.push(`${ts} >= ${ctx.dialect.timestampFrom(ctx.params.string(ctx.cohort.from))}`);
  if (ctx.cohort?.to !== undefined) out.push(`${ts} < ${ctx.dialect.timestampFrom(ctx.params.string(ctx.cohort.to))}`);
  return out;
}

/**
 * The exposure column that identifies a unit, and for a session experiment the user id beside it
 * (a session's exposures all carry one user; MIN picks it without another GROUP BY key).
 */
function unitSelect(ctx: SqlContext): { id: string; select: string } {
  const c = ctx.exposureColumns;
  if (!ctx.sessionUnit) return { id: `${X}.${c.unit_id}`, select: `${X}.${c.unit_id} AS unit_id` };
  return { id: `${X}.${c.session_id}`, select: `${X}.${c.session_id} AS unit_id, MIN(${X}.${c.unit_id}) AS user_id` };
}

/**
 * docs/analysis.md (semantics, rule 1): one row per unit exposed to exactly one variant, with its first exposure time.
 * MIN = MAX on the variant is the single-variant test without the cost of COUNT(DISTINCT).
 */
export function firstExposureCte(ctx: SqlContext, experiment: string, name = "first_exposure"): string {
  const c = ctx.exposureColumns;
  const unit = unitSelect(ctx);
  return [
    "-- exp:first_exposure",
    `${name} AS (`,
    `  SELECT ${unit.select}, MIN(${X}.${c.variant}) AS variant, MIN(${X}.${c.ts}) AS first_exposure`,
    `  FROM ${ctx.tables.exposures} AS ${X}`,
    `  WHERE ${exposureFilter(ctx, experiment)}`,
    `  GROUP BY ${unit.id}`,
    `  HAVING ${[`MIN(${X}.${c.variant}) = MAX(${X}.${c.variant})`, ...cohortConditions(ctx)].join(" AND ")}`,
    ")",
  ].join("\n");
}

/** Every exposed unit with its first and last variant and exposure times (one pass over the exposures). */
export function exposureUnitsCte(ctx: SqlContext, experiment: string): string {
  const c = ctx.exposureColumns;
  const unit = unitSelect(ctx);
  const cohort = cohortConditions(ctx);
  return [
    "-- exp:exposure_units",
    "exposure_units AS (",
    `  SELECT ${unit.select}, MIN(${X}.${c.variant}) AS variant, MAX(${X}.${c.variant}) AS last_variant, MIN(${X}.${c.ts}) AS first_ts, MAX(${X}.${c.ts}) AS last_ts`,
    `  FROM ${ctx.tables.exposures} AS ${X}`,
    `  WHERE ${exposureFilter(ctx, experiment)}`,
    `  GROUP BY ${unit.id}`,
    ...(cohort.length ? [`  HAVING ${cohort.join(" AND ")}`] : []),
    ")",
  ].join("\n");
}

/**
 * The batch query's first exposures, read from exposure_units so that the exposure summary and
 * the metrics share one aggregation of the exposures (engines materialise a CTE used twice).
 */
export function firstExposureFromUnitsCte(): string {
  return [
    "-- exp:first_exposure",
    "first_exposure AS (",
    "  SELECT unit_id, variant, first_ts AS first_exposure",
    "  FROM exposure_units",
    "  WHERE variant = last_variant",
    ")",
  ].join("\n");
}
