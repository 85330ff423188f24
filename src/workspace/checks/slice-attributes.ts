import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { diagnostic } from "../../diagnostics/diagnostic.js";
import type { Experiment } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** Metric kinds whose per-unit value is 0 or 1: what a fairness outcome and its label must be. */
const BINARY = new Set(["conversion", "retention"]);

/** Metrics the experiment analyses, in any tier. */
function analysedMetrics(e: Experiment): Set<string> {
  return new Set([...e.metrics.primary, ...e.metrics.secondary, ...e.metrics.guardrails]);
}

/**
 * A dimension or a fairness attribute is read from the exposures' attributes, so it must be an
 * attribute exp.yaml declares; a fairness metric (and a label) must be one the experiment analyses.
 */
export const sliceAttributesCheck: Check = {
  name: "slice-attributes",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    const declared = new Set(Object.keys(ws.settings.attributes));
    const hint = "declare it under attributes in exp.yaml (and record it with the exposure) or fix the name";
    for (const e of [...ws.experiments.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      (e.analysis.dimensions ?? []).forEach((d, i) => {
        const found = unknownName(C.unknownSliceAttribute, "attribute", d, declared, e.origin.values[`analysis.dimensions.${i}`], hint);
        if (found) out.push(found);
      });
      const f = e.fairness;
      if (!f) continue;
      const found = unknownName(C.unknownSliceAttribute, "attribute", f.attribute, declared, e.origin.values["fairness.attribute"], hint);
      if (found) out.push(found);
      const metrics = analysedMetrics(e);
      f.metrics.forEach((m, i) => {
        if (!metrics.has(m))
          out.push(
            diagnostic(
              C.fairnessMetric,
              `fairness metric "${m}" is not one of the metrics of experiment "${e.key}"; add it to metrics or remove it from fairness.metrics`,
              { span: e.origin.values[`fairness.metrics.${i}`] },
            ),
          );
      });
      for (const [outcome, label] of Object.entries(f.labels)) {
        const path = `fairness.labels.${outcome}`;
        for (const [name, span] of [
          [outcome, e.origin.keys[path]],
          [label, e.origin.values[path]],
        ] as const) {
          const kind = ws.metrics.get(name)?.kind;
          if (metrics.has(name) && kind !== undefined && !BINARY.has(kind))
            out.push(
              diagnostic(
                C.fairnessMetric,
                `fairness label metric "${name}" is a ${kind} metric, not 0 or 1 per unit; demographic parity and equalized odds need a conversion metric (any(...)) on both sides`,
                { span: span ?? e.origin.values["fairness.labels"] },
              ),
            );
          if (metrics.has(name)) continue;
          out.push(
            diagnostic(
              C.fairnessMetric,
              `fairness label metric "${name}" is not one of the metrics of experiment "${e.key}"; add it to metrics (a secondary metric will do)`,
              { span: span ?? e.origin.values["fairness.labels"] },
            ),
          );
        }
      }
    }
    return out;
  },
};
