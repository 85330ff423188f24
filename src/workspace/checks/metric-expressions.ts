import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { checkMetricExpr } from "../../dsl/index.js";
import type { Check } from "./context.js";

/**
 * Type-checks every metric expression against exp.yaml. It is also where a metric's kind and aggregates
 * are decided, so it completes each metric in place; it runs before the checks that read the kind.
 */
export const metricExpressionsCheck: Check = {
  name: "metric-expressions",
  run({ workspace: ws, env }) {
    const out: Diagnostic[] = [];
    for (const m of ws.metrics.values()) {
      const r = checkMetricExpr(m.expr, env);
      out.push(...r.diagnostics);
      if (r.kind) m.kind = r.kind;
      if (r.numerator) m.numerator = r.numerator;
      if (r.denominator) m.denominator = r.denominator;
      if (r.quantile !== undefined) m.quantile = r.quantile;
    }
    return out;
  },
};
