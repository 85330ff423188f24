import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { onlineComparison } from "../../stats/off-policy-comparison.js";
import type { Experiment, Workspace } from "../../workspace/model.js";
import type { AnalyzeJson } from "../analyze.js";
import type { Warehouse } from "../warehouse.js";
import { OFF_POLICY_CODES as C } from "./codes.js";
import { runEvaluation, type EvaluationJson } from "./evaluate.js";

/**
 * The off-policy evaluations that compare with this experiment (`compare_with`), each with the
 * experiment's online result beside it: what the analysis JSON's `off_policy` holds. An evaluation
 * that cannot be read is a warning here, so the experiment's own analysis still stands.
 */
export async function evaluationsBeside(
  warehouse: Warehouse,
  ws: Workspace,
  experiment: Experiment,
  analysis: Pick<AnalyzeJson, "metrics">,
): Promise<{ evaluations: EvaluationJson[]; diagnostics: Diagnostic[] }> {
  const evaluations: EvaluationJson[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const e of ws.evaluations?.values() ?? []) {
    const c = e.compare_with;
    if (c?.experiment !== experiment.key) continue;
    const run = await runEvaluation(warehouse, ws.root, e);
    if (!run.result) {
      diagnostics.push(
        diagnostic(
          C.evaluationFailed,
          `evaluation "${e.key}" could not be read beside experiment "${experiment.key}" (${run.diagnostics[0]?.message ?? "the query failed"}); run "exp evaluate ${e.key}" to see why`,
          { span: e.origin.values["evaluation"] },
        ),
      );
      continue;
    }
    diagnostics.push(...run.diagnostics);
    const metric = analysis.metrics.find((m) => m.metric === c.metric);
    const online = onlineComparison(run.result.estimates, {
      experiment: experiment.key,
      control: experiment.control,
      variant: c.variant,
      metric,
    });
    evaluations.push({ ...run.result, ...(online ? { online } : {}) });
  }
  return { evaluations, diagnostics };
}
