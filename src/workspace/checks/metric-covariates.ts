import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Metric, MetricKind } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** The kinds whose per-unit value is one number with a pre-period (docs/analysis.md, semantics rule 4). */
const COVARIATE_KINDS = new Set<MetricKind>(["conversion", "retention", "count", "sum", "mean"]);

/**
 * `cuped: { covariates }` (docs/analysis.md#multiple-covariates): the metric is one the regression
 * adjusts, and each covariate is another known metric on the same unit with a per-unit value.
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
      m.cuped_covariates.forEach((key, i) => {
        const span = m.origin.values[`cuped.covariates.${i}`];
        const unknown = unknownName(C.unknownMetric, "metric", key, known.metrics, span, "add metrics/<name>.yaml or fix the name");
        if (unknown) return out.push(unknown);
        const problem = covariateProblem(m, ws.metrics.get(key));
        if (problem) out.push(diagnostic(C.cupedCovariate, problem, { span }));
      });
    }
    return out;
  },
};

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
