import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { FileBuild } from "./build/context.js";
import type { WorkspaceRoot } from "./containment.js";
import { EvaluationCodes as C } from "./evaluation-codes.js";
import { parseYamlFile } from "./parse-file.js";
import type { Origin, Workspace } from "./model.js";

type Raw = Record<string, any>;

/** The columns of a logged-decision table, by role (docs/workspace.md#evaluations). */
export interface EvaluationColumns {
  unit: string;
  context: string;
  action: string;
  logging_propensity: string;
  target_propensity: string;
  reward: string;
  /** Both or neither: the reward model at the logged action, and its expected reward under the target policy. */
  reward_estimate?: string;
  target_estimate?: string;
}

/**
 * An off-policy evaluation (evaluations/<key>.yaml): the value of a target policy estimated from a
 * table of decisions logged under another policy, optionally set beside the online A/B test of it.
 */
export interface Evaluation {
  key: string;
  description?: string;
  owner?: string;
  table: string;
  columns: EvaluationColumns;
  /** The cap on the importance weight; absent means no clipping. */
  clip?: number;
  propensity_floor: number;
  min_effective_sample_size: number;
  alpha: number;
  /** Resolved: the metric defaults to the experiment's first primary, the variant to its first non-control one. */
  compare_with?: { experiment: string; metric: string; variant: string };
  origin: Origin;
}

export const DEFAULT_PROPENSITY_FLOOR = 0.01;
export const DEFAULT_MIN_EFFECTIVE_SAMPLE_SIZE = 100;

/**
 * Reads, schema-checks and builds `evaluations/*.yaml` into `ws.evaluations`, after the experiments
 * are built (compare_with names one). Files with errors are left out; their diagnostics are returned.
 */
export async function loadEvaluations(root: WorkspaceRoot, names: readonly string[], ws: Workspace): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const evaluations = new Map<string, Evaluation>();
  const parsed = await Promise.all(
    names.filter((n) => n.endsWith(".yaml")).map((n) => parseYamlFile(root, `evaluations/${n}`, "evaluation")),
  );
  for (const p of parsed) {
    if (p.file) ws.files.set(p.path, p.file);
    diagnostics.push(...p.diagnostics);
    if (!p.raw || !p.tree || !p.file) continue;
    const b = new FileBuild(p.file, p.tree);
    const evaluation = buildEvaluation(b, p.raw, ws, p.path.slice("evaluations/".length, -".yaml".length));
    diagnostics.push(...b.diagnostics);
    if (evaluation && !b.failed && !evaluations.has(evaluation.key)) evaluations.set(evaluation.key, evaluation);
  }
  ws.evaluations = evaluations;
  return diagnostics;
}

function buildEvaluation(b: FileBuild, raw: Raw, ws: Workspace, stem: string): Evaluation | undefined {
  if (raw.evaluation !== stem)
    b.report(
      C.keyMismatch,
      `evaluation key "${raw.evaluation}" differs from its file name "${stem}.yaml"; rename the file or the key so they match`,
      b.span("evaluation"),
      `did you mean "${stem}"?`,
    );
  const c: Raw = raw.columns ?? {};
  if ((c.reward_estimate === undefined) !== (c.target_estimate === undefined))
    b.report(
      C.partialRewardModel,
      `"columns" declares ${c.reward_estimate === undefined ? '"target_estimate" without "reward_estimate"' : '"reward_estimate" without "target_estimate"'}; the doubly robust estimator needs both, so declare both or neither`,
      b.keySpan(c.reward_estimate === undefined ? "columns.target_estimate" : "columns.reward_estimate"),
    );
  const columns: EvaluationColumns = {
    unit: c.unit ?? "unit_id",
    context: c.context ?? "context_id",
    action: c.action ?? "action",
    logging_propensity: c.logging_propensity ?? "logging_propensity",
    target_propensity: c.target_propensity ?? "target_propensity",
    reward: c.reward ?? "reward",
    ...(c.reward_estimate !== undefined && c.target_estimate !== undefined
      ? { reward_estimate: c.reward_estimate, target_estimate: c.target_estimate }
      : {}),
  };
  const compareWith = raw.compare_with ? resolveComparison(b, raw.compare_with, ws) : undefined;
  return {
    key: raw.evaluation,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(raw.owner !== undefined ? { owner: raw.owner } : {}),
    table: raw.table,
    columns,
    ...(raw.clip !== undefined ? { clip: raw.clip } : {}),
    propensity_floor: raw.propensity_floor !== undefined ? b.share("propensity_floor", raw.propensity_floor) : DEFAULT_PROPENSITY_FLOOR,
    min_effective_sample_size: raw.min_effective_sample_size ?? DEFAULT_MIN_EFFECTIVE_SAMPLE_SIZE,
    alpha: raw.alpha ?? ws.settings.defaults.alpha,
    ...(compareWith ? { compare_with: compareWith } : {}),
    origin: b.origin,
  };
}

function resolveComparison(b: FileBuild, raw: Raw, ws: Workspace): Evaluation["compare_with"] {
  const e = ws.experiments.get(raw.experiment);
  if (!e) {
    b.report(
      C.unknownExperiment,
      `unknown experiment "${raw.experiment}" in "compare_with"; name an experiment in experiments/ or remove "compare_with"`,
      b.span("compare_with.experiment"),
      didYouMean(raw.experiment, ws.experiments.keys()),
    );
    return undefined;
  }
  const analysed = [...e.metrics.primary, ...e.metrics.secondary, ...e.metrics.guardrails];
  const metric: string | undefined = raw.metric ?? e.metrics.primary[0];
  if (metric === undefined || !analysed.includes(metric)) {
    b.report(
      C.unknownMetric,
      `experiment "${e.key}" does not analyse metric "${metric ?? ""}"; name one of its metrics in "compare_with.metric"`,
      b.span(raw.metric !== undefined ? "compare_with.metric" : "compare_with"),
      metric !== undefined ? didYouMean(metric, analysed) : undefined,
    );
    return undefined;
  }
  const treatments = e.variants.map((v) => v.key).filter((v) => v !== e.control);
  const variant: string | undefined = raw.variant ?? treatments[0];
  if (variant === undefined || !treatments.includes(variant)) {
    b.report(
      C.unknownVariant,
      `"${variant ?? ""}" is not a treatment variant of experiment "${e.key}"; name the variant that served the target policy in "compare_with.variant"`,
      b.span(raw.variant !== undefined ? "compare_with.variant" : "compare_with"),
      variant !== undefined ? didYouMean(variant, treatments) : undefined,
    );
    return undefined;
  }
  return { experiment: e.key, metric, variant };
}
