import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** Every metric an experiment lists (and its bandit metric) exists; a metric is listed once. */
export const experimentMetricsCheck: Check = {
  name: "experiment-metrics",
  run({ workspace: ws, known }) {
    const out: Diagnostic[] = [];
    const hint = "add metrics/<name>.yaml or fix the name";
    for (const e of ws.experiments.values()) {
      const seen = new Map<string, string>();
      for (const tier of ["primary", "secondary", "guardrails"] as const) {
        e.metrics[tier].forEach((m, i) => {
          const path = `metrics.${tier}.${i}`;
          const span = e.origin.values[path];
          const d = unknownName(C.unknownMetric, "metric", m, known.metrics, span, hint);
          if (d) out.push(d);
          const prev = seen.get(m);
          if (prev !== undefined)
            out.push(
              diagnostic(C.duplicateMetric, `metric "${m}" is listed twice in experiment "${e.key}"; keep it in one tier`, {
                span: span,
                related: e.origin.values[prev] ? [{ message: "first listed here", span: e.origin.values[prev]! }] : [],
              }),
            );
          else seen.set(m, path);
        });
      }
      if (e.bandit) {
        const d = unknownName(C.unknownMetric, "metric", e.bandit.metric, known.metrics, e.origin.values["bandit.metric"], hint);
        if (d) out.push(d);
      }
    }
    return out;
  },
};
