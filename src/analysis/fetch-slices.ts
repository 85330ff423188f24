import { compileExperimentSql, type CompiledQuery, type PhaseFilter } from "../compiler/sql/index.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { AnalysisInput } from "../stats/analysis-types.js";
import type { DimensionInput } from "../stats/dimensions.js";
import type { SliceInput } from "../stats/slice-groups.js";
import type { SufficientStats } from "../stats/types.js";
import { DEFAULT_MIN_SLICE_UNITS, type Experiment, type Workspace } from "../workspace/model.js";
import { readStats, toNumber } from "./stats-rows.js";
import { explainQueryFailure } from "./inspect/engine-error.js";
import { type Warehouse, WarehouseError } from "./warehouse.js";

export interface SliceFetchOptions {
  asOf?: string;
  metrics?: readonly string[];
  phase?: PhaseFilter;
  /** Pairs of metrics (outcome, label) whose per-unit product is summed per slice. */
  products?: readonly (readonly [string, string])[];
}

export interface FetchedSlices {
  readonly slices: SliceInput[];
  readonly queries: CompiledQuery[];
  readonly diagnostics: Diagnostic[];
}

/**
 * The batch metrics per variant and value of one exposure attribute (docs/analysis.md#dimensions):
 * only sums leave the warehouse, never a unit's attribute. Quantile and session-clustered metrics
 * have no per-slice statistics. CUPED metrics come with their covariate, as in the main analysis.
 */
export async function fetchSlices(
  warehouse: Warehouse,
  workspace: Workspace,
  experiment: Experiment,
  attribute: string,
  opts: SliceFetchOptions = {},
): Promise<FetchedSlices> {
  const compiled = compileExperimentSql({
    workspace,
    experiment,
    metric: opts.metrics,
    dialect: warehouse.dialect,
    asOf: opts.asOf,
    phase: opts.phase,
    dimension: attribute,
    products: opts.products,
  });
  if (hasErrors(compiled.diagnostics) || !compiled.slices) return { slices: [], queries: [], diagnostics: compiled.diagnostics };
  const q = compiled.slices;
  let rows: Record<string, unknown>[];
  try {
    rows = await warehouse.query(q.sql, q.params);
  } catch (err) {
    if (!(err instanceof WarehouseError)) throw err;
    return { slices: [], queries: [q], diagnostics: [explainQueryFailure(err.diagnostic, workspace.settings)] };
  }
  const declared = new Set(experiment.variants.map((v) => v.key));
  const bySlice = new Map<string | null, Record<string, unknown>[]>();
  for (const row of rows) {
    if (!declared.has(String(row["variant"]))) continue;
    const slice = row["slice"] === null || row["slice"] === undefined ? null : String(row["slice"]);
    bySlice.set(slice, [...(bySlice.get(slice) ?? []), row]);
  }
  const slices: SliceInput[] = [...bySlice].map(([slice, sliceRows]) => {
    const units: Record<string, number> = {};
    const stats: Record<string, Record<string, SufficientStats>> = {};
    const products: Record<string, Record<string, number>> = {};
    for (const row of sliceRows) {
      const variant = String(row["variant"]);
      units[variant] = toNumber(row["units"]);
      for (const cols of q.columns) {
        const read = readStats(cols, row);
        (stats[cols.metric] ??= {})[variant] = read.covariate ?? read.stats;
      }
      for (const p of q.products) (products[p.metrics[0]] ??= {})[variant] = toNumber(row[p.column]);
    }
    return { slice, units, stats, ...(q.products.length ? { products } : {}) };
  });
  return { slices, queries: [q], diagnostics: compiled.diagnostics };
}

/**
 * What the stats engine needs for the experiment's `analysis.dimensions` and its `fairness` attribute
 * (one query each): the
 * `AnalysisInput` fields to add, with the queries that ran (for provenance).
 */
export async function fetchSliceInputs(
  warehouse: Warehouse,
  workspace: Workspace,
  experiment: Experiment,
  opts: SliceFetchOptions,
): Promise<{ input: Pick<AnalysisInput, "dimensions" | "fairness">; queries: CompiledQuery[]; diagnostics: Diagnostic[] }> {
  const out: DimensionInput[] = [];
  const queries: CompiledQuery[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const dimension of experiment.analysis.dimensions ?? []) {
    const fetched = await fetchSlices(warehouse, workspace, experiment, dimension, opts);
    queries.push(...fetched.queries);
    diagnostics.push(...fetched.diagnostics);
    if (hasErrors(fetched.diagnostics)) break;
    out.push({ dimension, minUnits: experiment.analysis.min_slice_units ?? DEFAULT_MIN_SLICE_UNITS, slices: fetched.slices });
  }
  const input: { -readonly [K in "dimensions" | "fairness"]?: AnalysisInput[K] } = out.length ? { dimensions: out } : {};
  const f = experiment.fairness;
  if (f && !hasErrors(diagnostics)) {
    const labels = Object.entries(f.labels);
    const fetched = await fetchSlices(warehouse, workspace, experiment, f.attribute, { ...opts, products: labels });
    queries.push(...fetched.queries);
    diagnostics.push(...fetched.diagnostics);
    input.fairness = {
      attribute: f.attribute,
      metrics: f.metrics,
      maxDisparity: f.max_disparity,
      minUnits: f.min_group_units,
      labels,
      slices: fetched.slices,
    };
  }
  return { input, queries, diagnostics };
}

/** The experiment without its dimensions and fairness attribute: an analysis of it runs no per-slice query. */
export function withoutBreakdowns(experiment: Experiment): Experiment {
  const { fairness: _, ...rest } = experiment;
  return { ...rest, analysis: { ...experiment.analysis, dimensions: [] } };
}
