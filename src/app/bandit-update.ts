import { join } from "node:path";
import { fetchSufficientStats } from "../analysis/fetch-stats.js";
import type { Warehouse } from "../analysis/warehouse.js";
import { allocateBandit, type ArmAllocation } from "../bandit/allocate.js";
import { rewriteBanditWeights } from "../bandit/write-weights.js";
import { SQL_CODES } from "../compiler/sql/codes.js";
import { hasErrors, type Diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { ExpError } from "../diagnostics/errors.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { writeFileAtomic } from "../fsio/atomic.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { withWarehouse } from "./analyze.js";
import { APP_CODES } from "./codes.js";

export interface BanditUpdate {
  experiment: string;
  file: string;
  metric: string;
  minShare: number;
  epoch: number;
  written: boolean;
  arms: ArmAllocation[];
}

/** One bandit's outcome: its update, or why it keeps its weights (too little data), or a failed fetch (in diagnostics). */
export interface BanditOutcome {
  experiment: string;
  update?: BanditUpdate;
  skipped?: string;
  failed: boolean;
  diagnostics: Diagnostic[];
}

/** The bandit experiment named `key`, or a clean error naming the bandits there are. */
export function banditExperiment(ws: Workspace, key: string): Experiment {
  const bandits = [...ws.experiments.values()].filter((e) => e.type === "bandit").map((e) => e.key);
  const e = ws.experiments.get(key);
  const which = bandits.length
    ? `the bandit experiments are ${bandits.map((b) => `"${b}"`).join(", ")}`
    : "the workspace has no experiment with type: bandit";
  if (!e) {
    const guess = didYouMean(key, bandits.length ? bandits : ws.experiments.keys());
    throw ExpError.of(SQL_CODES.unknownExperiment, `there is no experiment "${key}"${guess ? `; ${guess}` : ""}`, { suggestion: which });
  }
  if (e.type !== "bandit" || !e.bandit)
    throw ExpError.of(
      APP_CODES.wrongExperimentType,
      `experiment "${key}" is of type ${e.type}; exp bandit update works on experiments with type: bandit`,
      {
        suggestion: which,
      },
    );
  return e;
}

/** Every running bandit experiment, for `--all`. */
export function runningBandits(ws: Workspace): Experiment[] {
  return [...ws.experiments.values()].filter((e) => e.type === "bandit" && e.bandit && e.status === "running");
}

/**
 * Recomputes the arm weights of each bandit from the warehouse and (unless a dry run) writes them
 * into its experiment file, a normal git change. The diagnostics are the warehouse's when it cannot
 * be opened (then there are no outcomes).
 */
export async function updateBandits(
  ws: Workspace,
  experiments: Experiment[],
  o: { connection?: string; asOf?: string; dryRun: boolean; env?: NodeJS.ProcessEnv },
): Promise<Result<BanditOutcome[]>> {
  return withWarehouse(ws, o, async (warehouse) => {
    const outcomes: BanditOutcome[] = [];
    for (const e of experiments) outcomes.push(await updateOne(ws, e, warehouse, o));
    return { value: outcomes, diagnostics: [] };
  });
}

/** One bandit: its metric's per-arm statistics, the new weights, and (unless a dry run) the edited file. */
async function updateOne(
  ws: Workspace,
  e: Experiment,
  warehouse: Warehouse,
  o: { asOf?: string; dryRun: boolean },
): Promise<BanditOutcome> {
  const metric = ws.metrics.get(e.bandit!.metric)!;
  const fetched = await fetchSufficientStats(warehouse, ws, e, { asOf: o.asOf, metrics: [metric.key] });
  if (hasErrors(fetched.diagnostics)) return { experiment: e.key, failed: true, diagnostics: fetched.diagnostics };
  const stats = fetched.metrics.find((m) => m.metric === metric.key);
  const allocation = allocateBandit(e, metric, stats?.variants ?? {});
  if (!allocation.ok) return { experiment: e.key, skipped: allocation.reason, failed: false, diagnostics: fetched.diagnostics };
  const epoch = e.bandit!.epoch + 1;
  if (!o.dryRun) {
    const weights = Object.fromEntries(allocation.arms.map((a) => [a.variant, a.weight]));
    await writeFileAtomic(join(ws.root, e.origin.file), rewriteBanditWeights(ws.files.get(e.origin.file)!.text, weights, epoch));
  }
  return {
    experiment: e.key,
    update: {
      experiment: e.key,
      file: e.origin.file,
      metric: metric.key,
      minShare: e.bandit!.min_share,
      epoch,
      written: !o.dryRun,
      arms: allocation.arms,
    },
    failed: false,
    diagnostics: fetched.diagnostics,
  };
}
