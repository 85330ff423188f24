import { runAnalysis } from "../analysis/analyze.js";
import { OFF_POLICY_CODES } from "../analysis/off-policy/codes.js";
import { runEvaluation, type EvaluationJson } from "../analysis/off-policy/evaluate.js";
import { diagnostic, hasErrors, type Diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { Num } from "../stats/analysis-types.js";
import { offlineOnlineCorrelation } from "../stats/off-policy-comparison.js";
import type { Evaluation, Workspace } from "../workspace/model.js";
import { connectionName, withWarehouse, type AnalyzeRequest } from "./analyze.js";
import { allocationEpochs } from "./bandit-epoch-history.js";
import { publishHistory } from "./phase-history.js";

/** `exp evaluate --format json`: each evaluation, and how offline lifts have tracked online ones across them. */
export interface EvaluationsJson {
  evaluations: EvaluationJson[];
  /** Pearson's r of offline vs online relative lift over the evaluations with both (null below three). */
  offline_online: { pairs: number; correlation: Num };
}

/** The evaluation named, or every evaluation in key order when none is. */
export function selectEvaluations(ws: Workspace, key: string | undefined): Evaluation[] {
  const all = ws.evaluations ?? new Map<string, Evaluation>();
  if (key === undefined) return [...all.values()].sort((a, b) => a.key.localeCompare(b.key));
  const e = all.get(key);
  if (!e)
    throw ExpError.of(OFF_POLICY_CODES.unknownEvaluation, `there is no evaluation "${key}"; check evaluations/*.yaml`, {
      suggestion: didYouMean(key, all.keys()) ?? "run exp validate to list what the workspace declares",
    });
  return [e];
}

/**
 * Runs each evaluation on one opened warehouse. One that compares with an experiment runs through that
 * experiment's analysis, whose `off_policy` carries it with the online result beside it; when the
 * experiment has no result the evaluation stands alone, with a warning.
 */
export async function evaluatePolicies(ws: Workspace, evaluations: Evaluation[], o: AnalyzeRequest = {}): Promise<Result<EvaluationsJson>> {
  return withWarehouse(ws, o, async (warehouse): Promise<Result<EvaluationsJson>> => {
    const diagnostics: Diagnostic[] = [];
    const results: EvaluationJson[] = [];
    const phaseStart = publishHistory(ws, o.env);
    const epochs = allocationEpochs(ws, o.env);
    for (const e of evaluations) {
      const experiment = e.compare_with ? ws.experiments.get(e.compare_with.experiment) : undefined;
      if (experiment) {
        const run = await runAnalysis(ws, experiment, {
          warehouse,
          asOf: o.asOf,
          now: o.now,
          connection: connectionName(ws, o),
          phaseStart,
          epochs,
        });
        const beside = run.result?.off_policy?.find((x) => x.evaluation === e.key);
        if (beside) {
          // Only the evaluation's own diagnostics: the experiment's are exp analyze's to show.
          diagnostics.push(...run.diagnostics.filter((d) => d.span?.file === e.origin.file));
          results.push(beside);
          continue;
        }
        if (!run.result)
          diagnostics.push(
            diagnostic(
              OFF_POLICY_CODES.onlineUnavailable,
              `experiment "${experiment.key}" has no result to set beside evaluation "${e.key}" (${run.diagnostics.find((d) => d.severity === "error")?.message ?? "its analysis failed"}); run "exp analyze ${experiment.key}" to see why`,
              { span: e.origin.values["compare_with.experiment"] },
            ),
          );
      }
      const run = await runEvaluation(warehouse, ws.root, e);
      diagnostics.push(...run.diagnostics);
      if (!run.result || hasErrors(run.diagnostics)) return { diagnostics };
      results.push(run.result);
    }
    const offline_online = offlineOnlineCorrelation(
      results.filter((r) => r.online).map((r) => ({ offline: r.online!.offline_rel_lift, online: r.online!.online_rel_lift })),
    );
    return { value: { evaluations: results, offline_online }, diagnostics };
  });
}
