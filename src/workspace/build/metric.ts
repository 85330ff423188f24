import type { Metric, Settings } from "../model.js";
import type { FileBuild } from "./context.js";
import { parseDuration, parseShare } from "./values.js";

type Raw = Record<string, any>;

/** The metric's kind and aggregates are filled in by the metric-expression check, which knows the events. */
export function buildMetric(b: FileBuild, raw: Raw, settings: Settings): Metric | undefined {
  const expr = b.metricExpr("expr", raw.expr);
  if (!expr) return undefined;
  return {
    key: raw.metric,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(raw.owner !== undefined ? { owner: raw.owner } : {}),
    unit: raw.unit ?? settings.units[0]!,
    expr,
    exprText: raw.expr,
    kind: "arithmetic",
    window: raw.window ? parseDuration(raw.window) : settings.defaults.window,
    direction: raw.direction ?? "increase",
    format: raw.format ?? "number",
    cuped: raw.cuped ?? settings.defaults.cuped,
    ...(raw.guardrail ? { guardrail: { max_regression: parseShare(raw.guardrail.max_regression) } } : {}),
    origin: b.origin,
  };
}
