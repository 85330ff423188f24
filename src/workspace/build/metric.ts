import { classifyMetric } from "../../dsl/index.js";
import type { Metric, Settings } from "../model.js";
import type { FileBuild } from "./context.js";

type Raw = Record<string, any>;

/**
 * The metric's kind and aggregates are derived here from the shape of its expression, before any
 * check runs; the metric-expressions check then only reports (a metric with errors is left out of the model).
 */
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
    ...classifyMetric(expr),
    window: raw.window ? b.duration("window", raw.window) : settings.defaults.window,
    direction: raw.direction ?? "increase",
    format: raw.format ?? "number",
    cuped: typeof raw.cuped === "object" ? true : (raw.cuped ?? settings.defaults.cuped),
    ...(typeof raw.cuped === "object" ? cupedCovariates(raw.cuped.covariates) : {}),
    ...(raw.guardrail ? { guardrail: { max_regression: b.share("guardrail.max_regression", raw.guardrail.max_regression) } } : {}),
    origin: b.origin,
  };
}

/** A covariate entry is a metric key, or `{ attribute }` naming an exposure attribute. */
function cupedCovariates(entries: (string | { attribute: string })[]): Pick<Metric, "cuped_covariates" | "cuped_attributes"> {
  const attributes = entries.flatMap((e, index) => (typeof e === "string" ? [] : [{ attribute: e.attribute, index }]));
  return {
    cuped_covariates: entries.filter((e): e is string => typeof e === "string"),
    ...(attributes.length ? { cuped_attributes: attributes } : {}),
  };
}
