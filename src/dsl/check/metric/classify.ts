import type { AggregateExpr, Expr } from "../../ast.js";
import type { MetricKind } from "../../declarations.js";
import { walk } from "../condition.js";

export interface MetricShape {
  kind: MetricKind;
  numerator?: AggregateExpr;
  denominator?: AggregateExpr;
  quantile?: number;
}

const QUANTILES: Record<string, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };
const EXPOSURE_CLOCKS = new Set(["days_since_exposure", "hours_since_exposure"]);

/**
 * The analysis kind of a checked metric. A single aggregate gives its own kind (any → conversion, or retention
 * when filtered on an exposure clock; pXX → quantile); A / B of two per-unit aggregates (not quantiles) is a ratio;
 * anything else is arithmetic.
 */
export function classifyMetric(expr: Expr): MetricShape {
  if (expr.kind === "aggregate") return single(expr);
  if (expr.kind === "binary" && expr.op === "/" && isPerUnit(expr.left) && isPerUnit(expr.right)) {
    return { kind: "ratio", numerator: expr.left, denominator: expr.right };
  }
  return { kind: "arithmetic" };
}

/** The delta method needs a per-unit value on both sides; a quantile is over all events, so it has none. */
function isPerUnit(e: Expr): e is AggregateExpr {
  return e.kind === "aggregate" && QUANTILES[e.fn] === undefined;
}

function single(a: AggregateExpr): MetricShape {
  switch (a.fn) {
    case "any":
      return { kind: a.where && usesExposureClock(a.where) ? "retention" : "conversion", numerator: a };
    case "p50":
    case "p90":
    case "p95":
    case "p99":
      return { kind: "quantile", numerator: a, quantile: QUANTILES[a.fn]! };
    default:
      return { kind: a.fn, numerator: a };
  }
}

function usesExposureClock(e: Expr): boolean {
  let found = false;
  walk(e, (n) => {
    if (n.kind === "path" && n.segments.length === 1 && EXPOSURE_CLOCKS.has(n.segments[0]!.name)) found = true;
  });
  return found;
}
