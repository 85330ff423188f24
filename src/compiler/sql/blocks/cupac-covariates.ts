import { expressionSql, type PlannedMetric } from "../metric-plan.js";

/**
 * docs/analysis.md#multiple-covariates: a metric with `cuped: { covariates }` has k = 1 + covariates
 * pre-period values per unit, x0 its own and x1… the other metrics' over the same lookback. Each is
 * 0 for a unit without a value (like the own covariate of single CUPED), and NULL where Y is, so every
 * sum runs over the same units.
 */
export function cupacUnitColumns(plan: PlannedMetric, y: string, column: (j: number) => string, yMayBeMissing: boolean): string[] {
  const p = plan.prefix;
  const orZero = (x: string) => (yMayBeMissing ? `CASE WHEN ${y} IS NULL THEN NULL ELSE COALESCE(${x}, 0) END` : `COALESCE(${x}, 0)`);
  const values = [expressionSql(plan.metric.expr, plan.aggregates, column)];
  let offset = plan.aggregates.length;
  for (const c of plan.covariates ?? []) {
    const start = offset;
    values.push(expressionSql(c.metric.expr, c.aggregates, (j) => column(start + j)));
    offset += c.aggregates.length;
  }
  return values.map((x, j) => `${orZero(x)} AS ${p}_x${j}`);
}

/** Output column names and expressions: n, Σy, Σy², then Σx_j, Σx_j·y per covariate, then Σx_i·x_j for i ≤ j. */
export function cupacStatColumns(plan: PlannedMetric, count: (e: string) => string): [name: string, sql: string][] {
  const p = plan.prefix;
  const k = 1 + (plan.covariates?.length ?? 0);
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
