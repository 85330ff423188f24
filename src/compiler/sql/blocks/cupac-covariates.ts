import type { SqlContext } from "../context.js";
import { UNIT_ALIAS } from "../event-property.js";
import { covariateNames, expressionSql, type PlannedAttribute, type PlannedMetric } from "../metric-plan.js";
import { exposureFilter } from "./first-exposure.js";

/**
 * docs/analysis.md#multiple-covariates: a metric with `cuped: { covariates }` has k = 1 + covariates
 * pre-period values per unit, x0 its own and x1… the other metrics' over the same lookback. Each is
 * 0 for a unit without a value (like the own covariate of single CUPED), and NULL where Y is, so every
 * sum runs over the same units.
 */
export function cupacUnitColumns(
  ctx: SqlContext,
  plan: PlannedMetric,
  y: string,
  column: (j: number) => string,
  yMayBeMissing: boolean,
): string[] {
  const p = plan.prefix;
  const orZero = (x: string) => (yMayBeMissing ? `CASE WHEN ${y} IS NULL THEN NULL ELSE COALESCE(${x}, 0) END` : `COALESCE(${x}, 0)`);
  const values = [expressionSql(plan.metric.expr, plan.aggregates, column)];
  let offset = plan.aggregates.length;
  for (const c of plan.covariates ?? []) {
    const start = offset;
    values.push(expressionSql(c.metric.expr, c.aggregates, (j) => column(start + j)));
    offset += c.aggregates.length;
  }
  for (const a of plan.attributes ?? []) {
    const value = attributeAtFirstExposure(ctx, a);
    // DOUBLE like every other covariate, so that the sums are doubles in every dialect.
    values.push(value, ctx.dialect.cast(`CASE WHEN ${value} IS NULL THEN 1 ELSE 0 END`, "double"));
  }
  return values.map((x, j) => `${orZero(x)} AS ${p}_x${j}`);
}

/** Output column names and expressions: n, Σy, Σy², then Σx_j, Σx_j·y per covariate, then Σx_i·x_j for i ≤ j. */
export function cupacStatColumns(plan: PlannedMetric, count: (e: string) => string): [name: string, sql: string][] {
  const p = plan.prefix;
  const k = covariateNames(plan).length;
  const y = `${p}_y`;
  const x = (j: number) => `${p}_x${j}`;
  const out: [string, string][] = [
    ["n", count(y)],
    ["sum_y", `SUM(${y})`],
    ["sum_y2", `SUM(${y} * ${y})`],
  ];
  for (let j = 0; j < k; j++) out.push([`sum_x${j}`, `SUM(${x(j)})`], [`sum_x${j}_y`, `SUM(${x(j)} * ${y})`]);
  for (let i = 0; i < k; i++) for (let j = i; j < k; j++) out.push([`sum_x${i}_x${j}`, `SUM(${x(i)} * ${x(j)})`]);
  return out;
}

/**
 * docs/analysis.md#multiple-covariates: the attribute on the unit's first exposure row (the smallest
 * when several rows share that instant, as dimension slicing reads it), as a number; a boolean is 1
 * or 0. NULL when the row has no value, or one that is not a number (not true or false for a
 * boolean); the caller adds the value as 0 and a missing indicator.
 */
function attributeAtFirstExposure(ctx: SqlContext, a: PlannedAttribute): string {
  const c = ctx.exposureColumns;
  const text = ctx.dialect.jsonText(`x.${c.attributes}`, a.name);
  const value =
    a.type === "boolean"
      ? ctx.dialect.cast(`CASE WHEN ${text} = 'true' THEN 1 WHEN ${text} = 'false' THEN 0 END`, "double")
      : ctx.dialect.numberOrNull(text);
  const unit = ctx.sessionUnit ? c.session_id : c.unit_id;
  return (
    `(SELECT MIN(${value}) FROM ${ctx.tables.exposures} AS x` +
    ` WHERE x.${unit} = ${UNIT_ALIAS}.unit_id AND x.${c.ts} = ${UNIT_ALIAS}.first_exposure AND ${exposureFilter(ctx, a.experiment)})`
  );
}
