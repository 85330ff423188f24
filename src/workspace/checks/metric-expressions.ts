import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { checkMetricExpr } from "../../dsl/index.js";
import type { Check } from "./context.js";

/** Type-checks every metric expression against exp.yaml (the kind was derived when the metric was built). */
export const metricExpressionsCheck: Check = {
  name: "metric-expressions",
  run({ workspace: ws, env }) {
    const out: Diagnostic[] = [];
    for (const m of ws.metrics.values()) out.push(...checkMetricExpr(m.expr, env).diagnostics);
    return out;
  },
};
