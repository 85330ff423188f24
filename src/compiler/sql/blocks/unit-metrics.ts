import type { AggregateExpr, Expr } from "../../../dsl/index.js";
import { isZeroFilled } from "../aggregate.js";
import type { SqlContext } from "../context.js";
import { UNIT_ALIAS } from "../event-property.js";
import { allAggregates, type PlannedMetric, unitValueSql } from "../metric-plan.js";
import { cupacUnitColumns } from "./cupac-covariates.js";

const U = "u";

/** An aggregate column as DOUBLE (so sums of squares cannot overflow integers), zero-filled when docs/analysis.md (semantics, rule 2) says so. */
function column(ctx: SqlContext, agg: AggregateExpr, name: string): string {
  const ref = `${U}.${name}`;
  return ctx.dialect.cast(isZeroFilled(agg) ? `COALESCE(${ref}, 0)` : ref, "double");
}

function hasDivision(expr: Expr): boolean {
  if (expr.kind === "binary") return expr.op === "/" || hasDivision(expr.left) || hasDivision(expr.right);
  return expr.kind === "unary" ? hasDivision(expr.operand) : false;
}

/** A unit's value can be missing (mean/min/max without events, or a division by zero). */
function mayBeMissing(plan: PlannedMetric): boolean {
  return plan.aggregates.some((a) => !isZeroFilled(a)) || hasDivision(plan.metric.expr);
}

function metricColumns(ctx: SqlContext, plan: PlannedMetric): string[] {
  const col = (kind: "a" | "p") => (j: number) => column(ctx, plan.aggregates[j]!, `${plan.prefix}_${kind}${j}`);
  const p = plan.prefix;
  if (plan.shape === "ratio") return [`${col("a")(0)} AS ${p}_num`, `${col("a")(1)} AS ${p}_den`];
  if (plan.shape === "ratio_cuped") {
    return [`${col("a")(0)} AS ${p}_num`, `${col("a")(1)} AS ${p}_den`, `${col("p")(0)} AS ${p}_pnum`, `${col("p")(1)} AS ${p}_pden`];
  }
  const y = unitValueSql(plan, col("a"));
  if (plan.shape === "cupac") {
    const pre = (j: number) => column(ctx, allAggregates(plan)[j]!, `${p}_p${j}`);
    return [`${y} AS ${p}_y`, ...cupacUnitColumns(ctx, plan, y, pre, mayBeMissing(plan))];
  }
  if (plan.shape !== "cuped") return [`${y} AS ${p}_y`];
  // The covariate only counts where the metric has a value, so that every sum runs over the same units.
  const x = unitValueSql(plan, col("p"));
  const xOrZero = mayBeMissing(plan) ? `CASE WHEN ${y} IS NULL THEN NULL ELSE COALESCE(${x}, 0) END` : x;
  return [`${y} AS ${p}_y`, `${xOrZero} AS ${p}_x`];
}

/**
 * Every exposed unit (docs/analysis.md (semantics, rule 2): all are in the denominator), joined to its
 * aggregates; with the user of each session when a clustered metric needs it, and the columns of
 * first_exposure in `carried` (a unit's slice).
 */
export function unitMetricsCte(ctx: SqlContext, plans: readonly PlannedMetric[], carried: readonly string[] = []): string {
  const columns = plans.flatMap((plan) => metricColumns(ctx, plan));
  const user = [...(plans.some((p) => p.shape === "clustered") ? ["user_id"] : []), ...carried].map((c) => ` ${UNIT_ALIAS}.${c},`).join("");
  return [
    "-- exp:unit_metrics",
    "unit_metrics AS (",
    `  SELECT ${UNIT_ALIAS}.variant,${user}`,
    columns.map((c) => `    ${c}`).join(",\n"),
    `  FROM first_exposure AS ${UNIT_ALIAS}`,
    `  LEFT JOIN unit_values AS ${U} ON ${U}.unit_id = ${UNIT_ALIAS}.unit_id`,
    ")",
  ].join("\n");
}
