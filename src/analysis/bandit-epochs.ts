import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { PhaseFilter } from "../compiler/sql/index.js";
import type { SrmEpochInput } from "../stats/analysis-types.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { fetchSufficientStats, type ExperimentSufficientStats } from "./fetch-stats.js";
import type { Warehouse } from "./warehouse.js";

/**
 * A bandit's allocation epochs (docs/analysis.md#bandits): each published set of its weights, from
 * the moment it went live. `exp bandit update` rewrites the weights, and every publish of new
 * weights starts an epoch; a unit belongs to the epoch of its first exposure.
 */
export interface AllocationEpoch {
  /** ISO-8601 time the weights went live. */
  readonly from: string;
  /** The published ruleset version that carried them. */
  readonly version: number;
  /** Per variant, in basis points. */
  readonly weights: Readonly<Record<string, number>>;
}

/** The epochs of an experiment's phase from the publish history, in order (injected: the analysis reads no publish target). */
export type EpochLookup = (experiment: string, phase: number) => Promise<readonly AllocationEpoch[]>;

/** One epoch with the sufficient statistics of the units first exposed in it. */
export interface EpochStats {
  readonly epoch: AllocationEpoch;
  readonly fetched: ExperimentSufficientStats;
}

/**
 * The statistics of each epoch's cohort. The first epoch also takes the units exposed before it
 * went live (a clock ahead of the publisher's), so every unit of the phase is in exactly one epoch.
 */
export async function fetchEpochStats(
  warehouse: Warehouse,
  workspace: Workspace,
  experiment: Experiment,
  epochs: readonly AllocationEpoch[],
  opts: { asOf?: string; metrics: readonly string[]; phase?: PhaseFilter },
): Promise<{ epochs: EpochStats[]; diagnostics: Diagnostic[] }> {
  const out: EpochStats[] = [];
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < epochs.length; i++) {
    const next = epochs[i + 1];
    const cohort = { ...(i > 0 ? { from: epochs[i]!.from } : {}), ...(next ? { to: next.from } : {}) };
    const fetched = await fetchSufficientStats(warehouse, workspace, experiment, { ...opts, cohort });
    // Warnings repeat the whole analysis' (per epoch); only a failed query is news.
    diagnostics.push(
      ...fetched.diagnostics.filter((d) => d.severity === "error" && !diagnostics.some((seen) => seen.message === d.message)),
    );
    out.push({ epoch: epochs[i]!, fetched });
  }
  return { epochs: out, diagnostics };
}

/** The stats engine's per-epoch SRM input. */
export function srmEpochs(epochs: readonly EpochStats[]): SrmEpochInput[] {
  return epochs.map(({ epoch, fetched }) => ({
    from: epoch.from,
    version: epoch.version,
    units: fetched.units,
    weights: epoch.weights,
  }));
}
