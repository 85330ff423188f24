import { diagnostic } from "../../diagnostics/diagnostic.js";
import type { AggregateExpr, Expr } from "../../dsl/index.js";
import { SESSION_UNIT, type Experiment, type Metric, type MetricKind } from "../../workspace/model.js";
import { SQL_CODES } from "./codes.js";
import type { SqlContext } from "./context.js";
import { numberLiteral } from "./params.js";

/** The shape of the sufficient statistics a metric query returns per variant. */
export type MetricShape = "mean" | "ratio" | "cuped" | "cupac" | "ratio_cuped" | "quantile" | "clustered";

/**
 * docs/analysis.md (semantics, rule 4): CUPED applies to conversion, count, sum and mean metrics (retention is a conversion);
 * ratio metrics get their own covariate shape (ratio_cuped).
 */
const CUPED_KINDS = new Set<MetricKind>(["conversion", "retention", "count", "sum", "mean"]);

/** A metric laid out for SQL: which aggregates it needs, and how they combine per unit. */
export interface PlannedMetric {
  readonly metric: Metric;
  readonly shape: MetricShape;
  /** Column prefix in the query's output (m0, m1, …). */
  readonly prefix: string;
  /** Distinct aggregates; column `${prefix}_a${j}` (and `${prefix}_p${j}` in the pre-period). */
  readonly aggregates: AggregateExpr[];
  readonly windowSeconds: number;
  /** CUPED lookback in seconds, when the covariate is computed. */
  readonly lookbackSeconds?: number;
  /**
   * Shape cupac (docs/analysis.md#multiple-covariates): the other metrics whose pre-period values are
   * covariates besides the metric's own. Their aggregates follow the metric's own in the pre-period
   * columns (`${prefix}_p${j}`, j counting on from `aggregates.length`).
   */
  readonly covariates?: readonly PlannedCovariate[];
  /** Shape cupac: attribute covariates, each a value (0 when missing) and a missing indicator, after the metrics. */
  readonly attributes?: readonly PlannedAttribute[];
}

export interface PlannedCovariate {
  readonly metric: Metric;
  readonly aggregates: AggregateExpr[];
}

/** An exposure attribute read at the unit's first exposure in `experiment` (docs/analysis.md#multiple-covariates). */
export interface PlannedAttribute {
  readonly name: string;
  readonly type: "number" | "boolean";
  readonly experiment: string;
}

/** Every aggregate the metric's query reads: its own, then its covariates'. */
export function allAggregates(plan: PlannedMetric): AggregateExpr[] {
  return [...plan.aggregates, ...(plan.covariates ?? []).flatMap((c) => c.aggregates)];
}

/** The covariates' names in column order: the metric's own pre-period first. */
export function covariateNames(plan: PlannedMetric): string[] {
  const attributes = (plan.attributes ?? []).flatMap((a) => [`attribute ${a.name}`, `attribute ${a.name} missing`]);
  return [plan.metric.key, ...(plan.covariates ?? []).map((c) => c.metric.key), ...attributes];
}

function collectAggregates(expr: Expr, out: AggregateExpr[]): void {
  if (expr.kind === "aggregate") out.push(expr);
  else if (expr.kind === "binary") {
    collectAggregates(expr.left, out);
    collectAggregates(expr.right, out);
  } else if (expr.kind === "unary") collectAggregates(expr.operand, out);
}

export function planMetric(ctx: SqlContext, experiment: Experiment, metric: Metric, index: number): PlannedMetric | undefined {
  const prefix = `m${index}`;
  const windowSeconds = Math.round(metric.window.seconds);
  if (!(windowSeconds > 0)) {
    ctx.diagnostics.push(
      diagnostic(
        SQL_CODES.unsupportedMetric,
        `The metric "${metric.key}" has a window of ${metric.window.text}; use a positive duration such as 14d.`,
        { span: metric.origin.values["window"] },
      ),
    );
    return undefined;
  }
  if (metric.kind === "quantile") {
    const agg = metric.numerator ?? (metric.expr.kind === "aggregate" ? metric.expr : undefined);
    if (!agg || metric.quantile === undefined) return unsupportedShape(ctx, metric);
    return { metric, shape: "quantile", prefix, aggregates: [agg], windowSeconds };
  }
  const lookback = Math.round(ctx.settings.defaults.cuped_lookback.seconds);
  if (metric.kind === "ratio") {
    if (!metric.numerator || !metric.denominator) return unsupportedShape(ctx, metric);
    // The ratio's own numerator and denominator over the lookback are its covariate (regression-adjusted ratio).
    const cuped = metric.cuped && experiment.analysis.cuped && lookback > 0;
    const aggregates = [metric.numerator, metric.denominator];
    return {
      metric,
      shape: cuped ? "ratio_cuped" : "ratio",
      prefix,
      aggregates,
      windowSeconds,
      lookbackSeconds: cuped ? lookback : undefined,
    };
  }
  const aggregates: AggregateExpr[] = [];
  collectAggregates(metric.expr, aggregates);
  if (aggregates.length === 0) return unsupportedShape(ctx, metric);
  // A user-level metric of a session experiment: per-session values, sums per user cluster (no CUPED:
  // a session has no pre-period of its own).
  if (ctx.sessionUnit && metric.unit !== SESSION_UNIT) return { metric, shape: "clustered", prefix, aggregates, windowSeconds };
  const cuped = metric.cuped && experiment.analysis.cuped && CUPED_KINDS.has(metric.kind) && lookback > 0;
  if (cuped && metric.cuped_covariates) {
    const covariates = planCovariates(ctx, metric);
    const attributes = planAttributes(ctx, experiment, metric);
    if (!covariates || !attributes) return undefined;
    return {
      metric,
      shape: "cupac",
      prefix,
      aggregates,
      windowSeconds,
      lookbackSeconds: lookback,
      covariates,
      ...(attributes.length ? { attributes } : {}),
    };
  }
  return { metric, shape: cuped ? "cuped" : "mean", prefix, aggregates, windowSeconds, lookbackSeconds: cuped ? lookback : undefined };
}

function planCovariates(ctx: SqlContext, metric: Metric): PlannedCovariate[] | undefined {
  const out: PlannedCovariate[] = [];
  for (const key of metric.cuped_covariates ?? []) {
    const covariate = ctx.metrics?.get(key);
    const aggregates: AggregateExpr[] = [];
    if (covariate) collectAggregates(covariate.expr, aggregates);
    // The workspace checks reject these; a hand-made model still gets a diagnostic, not a crash.
    if (!covariate || !CUPED_KINDS.has(covariate.kind) || aggregates.length === 0) {
      ctx.diagnostics.push(
        diagnostic(
          SQL_CODES.unsupportedMetric,
          `The CUPED covariate "${key}" of "${metric.key}" is not a conversion, count, sum or mean metric; fix its name in cuped.covariates.`,
          { span: metric.origin.values["cuped"] },
        ),
      );
      return undefined;
    }
    out.push({ metric: covariate, aggregates });
  }
  return out;
}

function planAttributes(ctx: SqlContext, experiment: Experiment, metric: Metric): PlannedAttribute[] | undefined {
  const out: PlannedAttribute[] = [];
  for (const { attribute, index } of metric.cuped_attributes ?? []) {
    const type = ctx.settings.attributes[attribute];
    // The workspace checks reject these (EXP3043); a hand-made model still gets a diagnostic.
    if (type !== "number" && type !== "boolean") {
      ctx.diagnostics.push(
        diagnostic(
          SQL_CODES.unsupportedMetric,
          `The CUPED covariate { attribute: "${attribute}" } of "${metric.key}" is not a declared number or boolean attribute; fix it in cuped.covariates.`,
          { span: metric.origin.values[`cuped.covariates.${index}.attribute`] ?? metric.origin.values["cuped"] },
        ),
      );
      return undefined;
    }
    out.push({ name: attribute, type, experiment: experiment.key });
  }
  return out;
}

function unsupportedShape(ctx: SqlContext, metric: Metric): undefined {
  ctx.diagnostics.push(
    diagnostic(
      SQL_CODES.unsupportedMetric,
      `The metric "${metric.key}" (${metric.kind}) has no aggregate the SQL compiler can read; check its expr.`,
      { span: metric.origin.values["expr"] },
    ),
  );
  return undefined;
}

/**
 * A unit's metric value from its aggregate columns (already zero-filled where docs/analysis.md (semantics, rule 2) says so).
 * Division by a zero aggregate yields NULL, which leaves that unit out of n, like a mean without events.
 */
export function unitValueSql(plan: PlannedMetric, column: (j: number) => string): string {
  return expressionSql(plan.metric.expr, plan.aggregates, column);
}

/** A metric expression over its aggregates' columns (`column(j)` for `aggregates[j]`). */
export function expressionSql(expr: Expr, aggregates: readonly AggregateExpr[], column: (j: number) => string): string {
  const walk = (expr: Expr): string => {
    switch (expr.kind) {
      case "aggregate":
        return column(aggregates.indexOf(expr));
      case "number":
      case "percent":
        return numberLiteral(expr.value);
      case "unary":
        return `(-${walk(expr.operand)})`;
      case "binary":
        return expr.op === "/"
          ? `(${walk(expr.left)} / NULLIF(${walk(expr.right)}, 0))`
          : `(${walk(expr.left)} ${expr.op} ${walk(expr.right)})`;
      default:
        // The metric checks only admit arithmetic over aggregates and numbers.
        throw new Error(`unexpected ${expr.kind} node in metric expression`);
    }
  };
  return walk(expr);
}
