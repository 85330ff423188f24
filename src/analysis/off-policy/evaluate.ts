import { dialects, offPolicySumsSql } from "../../compiler/sql/index.js";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { definitionsCommit } from "../../gitops/commit.js";
import { canonicalJson } from "../../ruleset/canonical-json.js";
import type { EvaluationJson } from "../../stats/off-policy-comparison.js";
import { offPolicyFromSums, type OffPolicyResult, type OffPolicySums } from "../../stats/off-policy.js";
import { VERSION } from "../../version.js";
import type { Evaluation } from "../../workspace/model.js";
import { sha256 } from "../provenance.js";
import { toNumber } from "../stats-rows.js";
import { WarehouseError, type Warehouse } from "../warehouse.js";
import { OFF_POLICY_CODES as C } from "./codes.js";

export type { EvaluationJson };

/** An evaluation's share of rows with an effective sample size below which the estimates are flagged. */
export const MIN_ESS_SHARE = 0.01;

export interface EvaluationRun {
  result?: EvaluationJson;
  diagnostics: Diagnostic[];
}

/** Runs an evaluation's sums query and the estimators on it; a failed query comes back as a diagnostic. */
export async function runEvaluation(warehouse: Warehouse, root: string, evaluation: Evaluation): Promise<EvaluationRun> {
  const sql = offPolicySumsSql(dialects[warehouse.dialect], evaluation);
  let row: Record<string, unknown> | undefined;
  try {
    row = (await warehouse.query(sql, []))[0];
  } catch (err) {
    if (!(err instanceof WarehouseError)) throw err;
    return { diagnostics: [err.diagnostic] };
  }
  const v = (k: string) => toNumber(row?.[k]);
  const model = evaluation.columns.reward_estimate !== undefined;
  const sums: OffPolicySums = {
    n: v("n"),
    sumR: v("sum_r"),
    sumR2: v("sum_r2"),
    sumW: v("sum_w"),
    sumW2: v("sum_w2"),
    sumWR: v("sum_wr"),
    sumW2R: v("sum_w2r"),
    sumW2R2: v("sum_w2r2"),
    sumWR2: v("sum_wr2"),
    ...(model ? { dr: { sumD: v("sum_d"), sumD2: v("sum_d2"), sumDR: v("sum_dr") } } : {}),
    clipped: v("clipped"),
    maxWeight: row?.["max_weight"] === null || row?.["max_weight"] === undefined ? null : v("max_weight"),
    belowFloor: v("below_floor"),
    invalid: v("invalid"),
  };
  const stats = offPolicyFromSums(sums, {
    alpha: evaluation.alpha,
    ...(evaluation.clip !== undefined ? { clip: evaluation.clip } : {}),
    propensityFloor: evaluation.propensity_floor,
    minEss: evaluation.min_effective_sample_size,
    minEssShare: MIN_ESS_SHARE,
  });
  const diagnostics = evaluationWarnings(evaluation, stats);
  const { rows, invalid_rows, ...rest } = stats;
  const source = await definitionsCommit(root);
  const result: EvaluationJson = {
    evaluation: evaluation.key,
    table: evaluation.table,
    alpha: evaluation.alpha,
    rows,
    invalid_rows,
    units: v("units"),
    contexts: v("contexts"),
    actions: v("actions"),
    ...rest,
    warnings: diagnostics.map((d) => d.message),
    provenance: {
      sourceCommit: source,
      definitionsSha256: sha256(canonicalJson(definition(evaluation))),
      sqlSha256: sha256(`${sql}\n-- params: []`),
      engine: `exp ${VERSION}`,
    },
  };
  return { result, diagnostics };
}

/** The evaluation as declared, without its source positions (which must not change the hash). */
function definition(e: Evaluation): unknown {
  const { origin: _origin, ...rest } = e;
  return rest;
}

const count = (n: number) => n.toLocaleString("en-US");
const percent = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`);

/** The warnings that keep a reader from trusting intervals the weights make unreliable. */
export function evaluationWarnings(e: Evaluation, r: OffPolicyResult): Diagnostic[] {
  const span = e.origin.values["evaluation"];
  const out: Diagnostic[] = [];
  if (r.weights.low_ess) {
    const ess = r.weights.ess === null ? "0" : r.weights.ess.toFixed(1);
    out.push(
      diagnostic(
        C.lowEffectiveSampleSize,
        `evaluation "${e.key}" has an effective sample size of ${ess} out of ${count(r.rows)} decisions (${percent(r.weights.ess_share)}, below ${count(e.min_effective_sample_size)} or ${percent(MIN_ESS_SHARE)}), so its intervals are far too narrow; clip the weights with "clip:", log with more exploration, or collect more decisions`,
        { span },
      ),
    );
  }
  if (r.weights.below_floor > 0)
    out.push(
      diagnostic(
        C.propensitiesBelowFloor,
        `${count(r.weights.below_floor)} of ${count(r.rows)} logging propensities in evaluation "${e.key}" (${percent(r.weights.below_floor_share)}) are below the floor of ${percent(e.propensity_floor)}, and their weights dominate the estimates; check the logging policy's exploration or set "clip:"`,
        { span },
      ),
    );
  if (r.invalid_rows > 0)
    out.push(
      diagnostic(
        C.invalidDecisions,
        `${count(r.invalid_rows)} rows of "${e.table}" were left out of evaluation "${e.key}" (a missing reward or estimate, a logging propensity outside (0, 1] or a target probability outside [0, 1]); fix them in the logging pipeline`,
        { span },
      ),
    );
  return out;
}
