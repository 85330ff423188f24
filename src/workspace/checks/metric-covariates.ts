import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { AttributeType, Metric, MetricKind } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** The kinds whose per-unit value is one number with a pre-period (docs/analysis.md, semantics rule 4). */
const COVARIATE_KINDS = new Set<MetricKind>(["conversion", "retention", "count", "sum", "mean"]);

/**
 * `cuped: { covariates }` (docs/analysis.md#multiple-covariates): the metric is one the regression
 * adjusts, each metric covariate is another known metric on the same unit with a per-unit value, and
 * each attribute covariate is a declared number or boolean exposure attribute.
 */
export const metricCovariatesCheck: Check = {
  name: "metric-covariates",
  run({ workspace: ws, known, brokenFiles }) {
    const out: Diagnostic[] = [];
    for (const m of ws.metrics.values()) {
      if (!m.cuped_covariates || brokenFiles.has(m.origin.file)) continue;
      if (!COVARIATE_KINDS.has(m.kind)) {
        out.push(
          diagnostic(
            C.cupedCovariate,
            `metric "${m.key}" is a ${m.kind} metric, which CUPED cannot adjust on other covariates; use cuped: true or remove "covariates"`,
            { span: m.origin.values["cuped"] ?? m.origin.values["cuped.covariates"] },
          ),
        );
        continue;
      }
      const attributeAt = new Set((m.cuped_attributes ?? []).map((a) => a.index));
      const listIndex = yamlIndices(m.cuped_covariates.length, attributeAt);
      m.cuped_covariates.forEach((key, i) => {
        const span = m.origin.values[`cuped.covariates.${listIndex[i]}`];
        // The schema cannot say uniqueItems over mixed entries (the YAML objects defeat its equality).
        if (m.cuped_covariates!.indexOf(key) !== i)
          return out.push(diagnostic(C.cupedCovariate, `covariate "${key}" of metric "${m.key}" is listed twice; remove one`, { span }));
        const unknown = unknownName(C.unknownMetric, "metric", key, known.metrics, span, "add metrics/<name>.yaml or fix the name");
        if (unknown) return out.push(unknown);
        const problem = covariateProblem(m, ws.metrics.get(key));
        if (problem) out.push(diagnostic(C.cupedCovariate, problem, { span }));
      });
      const attributes = (m.cuped_attributes ?? []).map((a) => a.attribute);
      for (const [i, { attribute, index }] of (m.cuped_attributes ?? []).entries()) {
        const problem =
          attributes.indexOf(attribute) !== i
            ? `attribute "${attribute}" is listed twice among the covariates of metric "${m.key}"; remove one`
            : attributeProblem(attribute, ws.settings.attributes[attribute]);
        const span = m.origin.values[`cuped.covariates.${index}.attribute`] ?? m.origin.values[`cuped.covariates.${index}`];
        if (problem) out.push(diagnostic(C.cupedAttribute, problem, { span }));
      }
    }
    return out;
  },
};

/** The YAML positions of the metric covariates: the list's indices that are not attribute entries. */
function yamlIndices(metrics: number, attributeAt: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let i = 0; out.length < metrics; i++) if (!attributeAt.has(i)) out.push(i);
  return out;
}

/** An attribute covariate enters the regression as a number: a declared number, or a boolean as 0/1. */
function attributeProblem(name: string, type: AttributeType | undefined): string | undefined {
  if (type === undefined)
    return `attribute "${name}" is not declared; declare it under attributes in exp.yaml (type number or boolean) or fix the name`;
  if (type === "number" || type === "boolean") return undefined;
  const shown = typeof type === "string" ? type : "enum";
  return `attribute "${name}" is of type ${shown}; use a number or boolean attribute, whose value can enter the regression`;
}

function covariateProblem(m: Metric, c: Metric | undefined): string | undefined {
  if (!c) return undefined; // its file failed to load and says why
  if (c.key === m.key)
    return `metric "${m.key}" lists itself as a covariate; its own pre-period is always the first covariate, so remove it`;
  if (!COVARIATE_KINDS.has(c.kind)) {
    return `covariate "${c.key}" is a ${c.kind} metric; use a conversion, count, sum or mean metric, whose per-unit value can enter the regression`;
  }
  if (c.unit !== m.unit) return `covariate "${c.key}" is per "${c.unit}" but "${m.key}" is per "${m.unit}"; use a metric on the same unit`;
  return undefined;
}
