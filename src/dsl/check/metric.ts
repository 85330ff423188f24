import { hasErrors } from "../../diagnostics/diagnostic.js";
import type { Expr } from "../ast.js";
import { sortBySpan } from "./condition.js";
import { CheckContext } from "./context.js";
import type { CheckEnv, MetricCheckResult } from "./env.js";
import { classifyMetric } from "./metric/classify.js";
import { metricRules } from "./metric/index.js";

/**
 * Checks a metric expression and derives its analysis kind. The kind (and numerator, denominator, quantile)
 * is set only when there are no errors, so later stages never analyse a half-understood metric.
 */
export function checkMetricExpr(expr: Expr, env: CheckEnv): MetricCheckResult {
  const ctx = new CheckContext(env, { kind: "unit" });
  for (const rule of metricRules) rule.check(expr, ctx);
  const diagnostics = sortBySpan(ctx.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { diagnostics, ...classifyMetric(expr) };
}
