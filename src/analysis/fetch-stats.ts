import {
  compileExperimentSql,
  type CohortFilter,
  type CompiledQuery,
  type MetricColumns,
  type MetricShape,
  type PhaseFilter,
} from "../compiler/sql/index.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import type { CupacStats, CupedStats, RatioCupedStats } from "../stats/types.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { ANALYSIS_CODES } from "./codes.js";
import { readStats, toIsoTimestamp, toNumber, type UnitStats } from "./stats-rows.js";
import { explainQueryFailure } from "./inspect/engine-error.js";
import { timestampProblems } from "./inspect/epoch-timestamps.js";
import { type Warehouse, WarehouseError } from "./warehouse.js";

export interface MetricSufficientStats {
  readonly metric: string;
  readonly shape: MetricShape;
  /** The metric's own statistics per variant (for a CUPED metric: the unadjusted MeanStats of Y). */
  readonly variants: Record<string, UnitStats>;
  /** For CUPED metrics: Y with its pre-period covariate X per variant (a ratio: both ratios' sums and cross products). */
  readonly covariate?: { readonly lookbackSeconds: number; readonly variants: Record<string, CupacStats | CupedStats | RatioCupedStats> };
}

export interface ExperimentSufficientStats {
  /** Units per declared variant, after excluding units exposed to several variants. */
  readonly units: Record<string, number>;
  readonly multipleExposures: number;
  /** Units exposed only to variants the experiment does not declare (left out of every metric). */
  readonly unknownVariants: Record<string, number>;
  /** First and last exposure time (ISO-8601), undefined without exposures. */
  readonly dataWindow: { readonly start?: string; readonly end?: string };
  readonly metrics: MetricSufficientStats[];
  /** The SQL that ran, in order (for provenance hashes). */
  readonly queries: CompiledQuery[];
  /** The experiments in the exposures table with their first exposure, to explain an empty result (not run here). */
  readonly experimentList?: CompiledQuery;
  readonly diagnostics: Diagnostic[];
}

export interface FetchOptions {
  asOf?: string;
  metrics?: readonly string[];
  phase?: PhaseFilter;
  /** Only the units first exposed in this window (a bandit's allocation epoch). */
  cohort?: CohortFilter;
}

/**
 * Runs the experiment's SQL on a warehouse and returns per-variant sufficient statistics
 * (docs/analysis.md). Non-quantile metrics share one query and one pass over the events.
 */
export async function fetchSufficientStats(
  warehouse: Warehouse,
  workspace: Workspace,
  experiment: Experiment,
  opts: FetchOptions = {},
): Promise<ExperimentSufficientStats> {
  try {
    const timestamps = await timestampProblems(warehouse, workspace.settings);
    if (timestamps.length > 0) return nothing(timestamps);
    return await fetchOrThrow(warehouse, workspace, experiment, opts);
  } catch (err) {
    // A failed query (missing table, wrong column name) is the user's to fix: report it, do not crash.
    if (!(err instanceof WarehouseError)) throw err;
    return nothing([explainQueryFailure(err.diagnostic, workspace.settings)]);
  }
}

/** No statistics, only the diagnostics that say why. */
function nothing(diagnostics: Diagnostic[]): ExperimentSufficientStats {
  return { units: {}, multipleExposures: 0, unknownVariants: {}, dataWindow: {}, metrics: [], queries: [], diagnostics };
}

async function fetchOrThrow(
  warehouse: Warehouse,
  workspace: Workspace,
  experiment: Experiment,
  opts: FetchOptions,
): Promise<ExperimentSufficientStats> {
  const compiled = compileExperimentSql({
    workspace,
    experiment,
    metric: opts.metrics,
    dialect: warehouse.dialect,
    asOf: opts.asOf,
    phase: opts.phase,
    cohort: opts.cohort,
  });
  const diagnostics = [...compiled.diagnostics];
  const declared = experiment.variants.map((v) => v.key);
  const empty = nothing(diagnostics);
  if (hasErrors(diagnostics)) return empty;

  const queries: CompiledQuery[] = [];
  const run = async (q: CompiledQuery) => {
    queries.push(q);
    return warehouse.query(q.sql, q.params);
  };
  // The batch rows carry the exposure summary; without a batch, or without any unit to give a
  // row, the summary query answers on its own.
  const batchRows = compiled.batch ? await run(compiled.batch) : [];
  const summaryRows = batchRows.length > 0 ? batchRows : await run(compiled.exposures);
  const { units, unknownVariants, multipleExposures, start, end } = summarize(summaryRows, declared);
  for (const [variant, count] of Object.entries(unknownVariants)) {
    // An interleaving experiment's exposures are lists, not variants: interleaving.ts credits them.
    if (experiment.type === "interleaving") continue;
    diagnostics.push(
      diagnostic(
        ANALYSIS_CODES.unknownVariant,
        `${count} unit(s) of "${experiment.key}" were exposed to "${variant}", which the experiment does not declare; they are left out of the analysis.`,
        { span: experiment.origin.values["variants"] },
      ),
    );
  }

  const byMetric = new Map<string, MetricSufficientStats>();
  const collect = (cols: MetricColumns, rows: Record<string, unknown>[]) => {
    const variants: Record<string, UnitStats> = {};
    const covariates: Record<string, CupacStats | CupedStats | RatioCupedStats> = {};
    for (const variant of declared) {
      const { stats, covariate } = readStats(
        cols,
        rows.find((r) => r["variant"] === variant),
      );
      variants[variant] = stats;
      if (covariate) covariates[variant] = covariate;
    }
    byMetric.set(cols.metric, {
      metric: cols.metric,
      shape: cols.shape,
      variants,
      covariate: cols.lookbackSeconds === undefined ? undefined : { lookbackSeconds: cols.lookbackSeconds, variants: covariates },
    });
  };
  for (const cols of compiled.batch?.columns ?? []) collect(cols, batchRows);
  // Quantile and clustered metrics each have their own query.
  for (const q of compiled.metrics.filter((m) => m.shape === "quantile" || m.shape === "clustered")) collect(q, await run(q));
  // Keep the experiment's metric order whatever query each metric came from.
  const metrics = compiled.metrics.map((m) => byMetric.get(m.metric)).filter((m): m is MetricSufficientStats => m !== undefined);
  return {
    units,
    multipleExposures,
    unknownVariants,
    dataWindow: { start, end },
    metrics,
    queries,
    experimentList: compiled.experiments,
    diagnostics,
  };
}

/** Units per variant, multiple exposures and the data window, from summary or batch rows. */
function summarize(rows: Record<string, unknown>[], declared: string[]) {
  const units: Record<string, number> = Object.fromEntries(declared.map((v) => [v, 0]));
  const unknownVariants: Record<string, number> = {};
  let multipleExposures = 0;
  let start: string | undefined;
  let end: string | undefined;
  for (const row of rows) {
    const variant = row["variant"];
    const count = toNumber(row["units"]);
    if (variant === null || variant === undefined) multipleExposures += count;
    else if (declared.includes(String(variant))) units[String(variant)] = count;
    else unknownVariants[String(variant)] = count;
    // Batch rows repeat the multiple-exposure count on every row.
    if (row["multiple_exposures"] !== undefined) multipleExposures = toNumber(row["multiple_exposures"]);
    const first = toIsoTimestamp(row["first_exposure"]);
    const last = toIsoTimestamp(row["last_exposure"]);
    if (first !== undefined && (start === undefined || first < start)) start = first;
    if (last !== undefined && (end === undefined || last > end)) end = last;
  }
  return { units, unknownVariants, multipleExposures, start, end };
}
