import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { AnalysisInput, AnalysisResult, MetricDesign, Num } from "../stats/analysis-types.js";
import { banditEffects, type BanditEffectsJson } from "../stats/bandit-effects.js";
import { analyzeStats } from "../stats/experiment.js";
import { minimumDetectableEffect } from "../stats/power.js";
import type { MetricKind as StatsMetricKind, SufficientStats, Tier } from "../stats/types.js";
import { DEFAULT_DECISION, type Experiment, type Metric, type MetricKind, type Workspace } from "../workspace/model.js";
import type { PhaseFilter } from "../compiler/sql/index.js";
import { fetchEpochStats, srmEpochs, type EpochLookup, type EpochStats } from "./bandit-epochs.js";
import { fetchSufficientStats, type ExperimentSufficientStats } from "./fetch-stats.js";
import { fetchSliceInputs } from "./fetch-slices.js";
import { groupSequentialLook, type LookPlan } from "./group-sequential-look.js";
import { analyzeInterleaving, type InterleavingJson } from "./interleaving.js";
import { interleavingDecision } from "../stats/interleaving-decision.js";
import { ANALYSIS_CODES } from "./codes.js";
import { noExposuresDiagnostic } from "./no-exposures.js";
import { phaseWindow, type PhaseBasis, type PhaseStartLookup, type PhaseWindow } from "./phase.js";
import { familyMetrics } from "../workspace/design.js";
import { plannedUnits } from "./planned-sample.js";
import { buildProvenance, type Provenance } from "./provenance.js";
import { evaluationsBeside } from "./off-policy/beside-experiment.js";
import type { EvaluationJson } from "./off-policy/evaluate.js";
import type { Warehouse } from "./warehouse.js";
import { holdoutJson, type HoldoutJson } from "./holdout-comparison.js";

/** Power reached so far against the declared design (reports show it). */
export interface PowerReached {
  /** Declared relative MDE. */
  mde: number;
  /** Relative MDE detectable with the units so far, from the observed control mean and variance; null when unknown. */
  achieved_mde: Num;
}

/**
 * When the analysed phase started and how that is known: `phase_column` (the exposures carry their
 * phase; `at` is the phase's first exposure), `publish_history` (the first publication of the phase;
 * exposures before it are left out) or `first_exposure` (neither: every exposure is read).
 */
export interface PhaseStartJson {
  at: string | null;
  basis: PhaseBasis;
  /** The first published ruleset version with this phase (publish_history only). */
  version?: number;
}

/** The docs/analysis.md `analyze --format json` document: the stats engine's result plus provenance (and power when declared). */
export type AnalyzeJson = Pick<AnalysisResult, "experiment" | "phase"> & { phase_start: PhaseStartJson } & Pick<
    AnalysisResult,
    "method" | "alpha" | "correction"
  > & {
    provenance: Provenance;
  } & Omit<AnalysisResult, "experiment" | "phase" | "method" | "alpha" | "correction"> & {
    power?: PowerReached;
    /** A bandit read per allocation epoch: each treatment's effect stratified by epoch. */
    bandit?: BanditEffectsJson;
    /** The off-policy evaluations that compare with this experiment, each with its online result beside it. */
    off_policy?: EvaluationJson[];
    /** An interleaving experiment: the units' preference between its two rankers (docs/analysis.md#interleaving). */
    interleaving?: InterleavingJson;
    /** `exp analyze --holdout`: the holdout compared with everyone else (docs/analysis.md#holdouts). */
    holdout?: HoldoutJson;
  };

export interface AnalysisRun {
  /** Absent when the data could not be read (the diagnostics say why). */
  result?: AnalyzeJson;
  diagnostics: Diagnostic[];
}

/** The workspace's metric kinds in the stats engine's vocabulary. */
export function statsKind(kind: MetricKind): StatsMetricKind {
  if (kind === "retention") return "conversion";
  // An arithmetic combination of per-unit aggregates is analysed as a per-unit mean.
  if (kind === "arithmetic") return "mean";
  return kind;
}

/** The experiment's metrics by tier in declaration order, each with its design for the stats engine. */
export function metricDesigns(workspace: Workspace, experiment: Experiment): { metric: Metric; design: MetricDesign }[] {
  // Every unit of an interleaving experiment sees both rankers: there are no arms to compare metrics
  // between, only the preference (interleaving.ts).
  if (experiment.type === "interleaving") return [];
  const tiers: [Tier, string[]][] = [
    ["primary", experiment.metrics.primary],
    ["secondary", experiment.metrics.secondary],
    ["guardrail", experiment.metrics.guardrails],
  ];
  const out: { metric: Metric; design: MetricDesign }[] = [];
  for (const [tier, keys] of tiers) {
    for (const key of keys) {
      const metric = workspace.metrics.get(key);
      if (!metric) continue;
      out.push({
        metric,
        design: {
          metric: key,
          tier,
          kind: statsKind(metric.kind),
          direction: metric.direction,
          ...(tier === "guardrail" && metric.guardrail ? { maxRegression: metric.guardrail.max_regression } : {}),
          // CUPED is asked for only when both the metric and the experiment want it; the SQL layer adds the
          // covariate only for kinds that support it (a quantile, say, reports `applied: false`).
          cuped: metric.cuped && experiment.analysis.cuped,
        },
      });
    }
  }
  return out;
}

/**
 * Maps fetched statistics, the workspace design and exp.yaml defaults to the stats engine's input.
 * A group-sequential design needs `look` (see group-sequential-look.ts); without it the engine
 * reports fixed-horizon inference and says so in `notes`.
 */
export function toAnalysisInput(
  workspace: Workspace,
  experiment: Experiment,
  fetched: ExperimentSufficientStats,
  look?: LookPlan,
  decision?: AnalysisInput["decision"],
  epochs?: readonly EpochStats[],
): AnalysisInput {
  const designs = metricDesigns(workspace, experiment);
  const stats: Record<string, Record<string, SufficientStats>> = {};
  for (const m of fetched.metrics) stats[m.metric] = m.covariate ? { ...m.covariate.variants } : { ...m.variants };
  const a = experiment.analysis;
  return {
    experiment: experiment.key,
    phase: experiment.phase,
    method: a.method,
    alpha: a.alpha,
    correction: a.correction,
    srmThreshold: workspace.settings.defaults.srm_threshold,
    control: experiment.control,
    variants: experiment.variants.map((v) => ({ key: v.key, weight: v.weight })),
    ...(experiment.type === "multivariate" && experiment.factors ? { factors: Object.entries(experiment.factors) } : {}),
    metrics: designs.map((d) => d.design),
    units: fetched.units,
    multipleExposures: fetched.multipleExposures,
    stats,
    ...(a.tuning_n !== undefined ? { tuningN: a.tuning_n } : {}),
    ...(a.prior_variance !== undefined ? { prior: { mean: 0, variance: a.prior_variance } } : {}),
    ...(look
      ? {
          groupSequential: {
            looks: look.looks,
            look: look.look,
            informationFraction: look.informationFraction,
            ...(a.spending ? { spending: a.spending } : {}),
          },
        }
      : {}),
    ...(decision ? { decision } : {}),
    ...(epochs?.length ? { srmEpochs: srmEpochs(epochs) } : {}),
  };
}

/**
 * The decision framework's design for this analysis (docs/analysis.md#decision): the experiment's rules
 * (exp.yaml defaults.decision overridden by its own `decision:`), the analysis time, when the phase
 * started, the schedule end and the sample the power design plans.
 */
export function decisionDesign(
  workspace: Workspace,
  experiment: Experiment,
  asOf: Date,
  start: string | undefined,
): NonNullable<AnalysisInput["decision"]> {
  const rules = experiment.decision ?? workspace.settings.defaults.decision ?? DEFAULT_DECISION;
  const planned = plannedUnits(workspace, experiment);
  return {
    minDurationDays: rules.min_duration.seconds / 86400,
    minUnitsPerVariant: rules.min_units_per_variant,
    ship: rules.ship,
    guardrails: rules.guardrails,
    asOf: asOf.toISOString(),
    ...(start ? { start } : {}),
    ...(experiment.schedule.end ? { end: experiment.schedule.end } : {}),
    ...(planned !== undefined ? { plannedUnits: planned } : {}),
  };
}

/**
 * The relative MDE the experiment can detect with the units it has, from the primary metric's
 * observed control mean and variance, at the design's α and power, each treatment against control,
 * with α shared as the analysis' correction shares it over the primary and secondary metrics.
 */
export function powerReached(experiment: Experiment, result: AnalysisResult, defaultPower: number): PowerReached | undefined {
  const mde = experiment.power.mde;
  if (mde === undefined) return undefined;
  const primary = result.metrics.find((m) => m.tier === "primary");
  const control = primary?.variants[experiment.control];
  const treatments = experiment.variants.filter((v) => v.key !== experiment.control).map((v) => primary?.variants[v.key]?.n ?? 0);
  let achieved: Num = null;
  if (
    primary &&
    control &&
    control.mean !== null &&
    control.variance !== null &&
    control.mean !== 0 &&
    control.n >= 2 &&
    treatments.every((n) => n >= 2)
  ) {
    const abs = minimumDetectableEffect({
      variance: control.variance,
      alpha: experiment.analysis.alpha,
      power: experiment.power.power ?? defaultPower,
      units: [control.n, ...treatments],
      correction: experiment.analysis.correction,
      metrics: familyMetrics(experiment),
    });
    achieved = Number.isFinite(abs) ? abs / Math.abs(control.mean) : null;
  }
  return { mde, achieved_mde: achieved };
}

export interface RunAnalysisOptions {
  warehouse: Warehouse;
  asOf?: string;
  now?: Date;
  /** The connection's name, for messages. */
  connection?: string;
  /** When a phase started, from the publish history; used when the exposures carry no phase. */
  phaseStart?: PhaseStartLookup;
  /** A bandit's allocation epochs, from the publish history: its SRM is then checked per epoch. */
  epochs?: EpochLookup;
}

function phaseStartJson(phase: PhaseWindow, fetched: ExperimentSufficientStats): PhaseStartJson {
  if (phase.basis === "publish_history") return { at: phase.start ?? null, basis: phase.basis, version: phase.version };
  return { at: fetched.dataWindow.start ?? null, basis: phase.basis };
}

/** Each treatment's effect stratified by the bandit's epochs, on the statistics of each epoch's cohort. */
function epochEffects(experiment: Experiment, epochs: readonly EpochStats[]): BanditEffectsJson {
  return banditEffects(
    epochs.map(({ fetched }) => ({
      units: fetched.units,
      stats: Object.fromEntries(fetched.metrics.map((m) => [m.metric, m.variants])),
    })),
    {
      control: experiment.control,
      variants: experiment.variants.map((v) => v.key),
      metrics: epochs[0]!.fetched.metrics.map((m) => m.metric),
      alpha: experiment.analysis.alpha,
    },
  );
}

/**
 * A bandit's statistics per allocation epoch, when the publish history shows its epochs; nothing for
 * other experiments. Without epochs the cumulative SRM stands, and the note says why.
 */
async function banditEpochs(
  workspace: Workspace,
  experiment: Experiment,
  opts: RunAnalysisOptions,
  phase: PhaseFilter | undefined,
  metrics: string[],
): Promise<{ epochs?: EpochStats[]; note?: string; diagnostics: Diagnostic[] }> {
  if (experiment.type !== "bandit" || !opts.epochs) return { diagnostics: [] };
  const found = await opts.epochs(experiment.key, experiment.phase);
  if (found.length === 0)
    return {
      note: `The publish history does not show when the weights of bandit "${experiment.key}" changed; its SRM is checked against the current weights only.`,
      diagnostics: [],
    };
  const read = await fetchEpochStats(opts.warehouse, workspace, experiment, found, { asOf: opts.asOf, metrics, phase });
  return {
    epochs: read.epochs,
    note: `Bandit "${experiment.key}" had ${found.length} allocation epoch(s) in phase ${experiment.phase}: each unit is counted in the epoch of its first exposure, the SRM check tests each epoch against the weights live then, and "bandit.effects" gives each treatment's effect stratified by epoch (the pooled comparisons above mix epochs with different weights and can be biased).`,
    diagnostics: read.diagnostics,
  };
}

/**
 * `exp analyze` without its I/O: warehouse → sufficient statistics → stats engine → the docs/analysis.md
 * document with provenance. Data problems come back as diagnostics; only bugs throw. The analysis
 * reads the exposures of the experiment's current phase (phase.ts); one that matches no exposure is
 * an error that says why. A group-sequential look and the decision's horizon are placed at `asOf`,
 * else at `now` (default the wall clock).
 */
export async function runAnalysis(workspace: Workspace, experiment: Experiment, opts: RunAnalysisOptions): Promise<AnalysisRun> {
  const designs = metricDesigns(workspace, experiment);
  const phase = await phaseWindow(opts.warehouse, workspace, experiment, opts.phaseStart);
  const fetched = await fetchSufficientStats(opts.warehouse, workspace, experiment, {
    asOf: opts.asOf,
    metrics: designs.map((d) => d.metric.key),
    phase: phase.filter,
  });
  if (hasErrors(fetched.diagnostics)) return { diagnostics: [...phase.diagnostics, ...fetched.diagnostics] };
  const diagnostics = [...phase.diagnostics, ...fetched.diagnostics];
  const exposed =
    Object.values(fetched.units).reduce((a, b) => a + b, 0) +
    fetched.multipleExposures +
    Object.values(fetched.unknownVariants).reduce((a, b) => a + b, 0);
  if (exposed === 0) {
    const why = await noExposuresDiagnostic(opts.warehouse, workspace, experiment, {
      list: fetched.experimentList,
      connection: opts.connection,
      asOf: opts.asOf,
      phase,
    });
    return { diagnostics: [...diagnostics, why] };
  }
  const at = opts.asOf !== undefined ? new Date(opts.asOf) : (opts.now ?? new Date());
  let look: LookPlan | undefined;
  if (experiment.analysis.method === "group_sequential") {
    const units = Object.values(fetched.units).reduce((a, b) => a + b, 0);
    const placed = groupSequentialLook(workspace, experiment, units, at);
    look = placed.plan;
    diagnostics.push(...placed.diagnostics);
  }
  const phaseStart = phaseStartJson(phase, fetched);
  const decision = decisionDesign(workspace, experiment, at, phaseStart.at ?? undefined);
  const epochs = await banditEpochs(
    workspace,
    experiment,
    opts,
    phase.filter,
    designs.map((d) => d.metric.key),
  );
  diagnostics.push(...epochs.diagnostics);
  if (hasErrors(epochs.diagnostics)) return { diagnostics };
  const sliced = await fetchSliceInputs(opts.warehouse, workspace, experiment, {
    asOf: opts.asOf,
    metrics: designs.map((d) => d.metric.key),
    phase: phase.filter,
  });
  diagnostics.push(...sliced.diagnostics);
  if (hasErrors(sliced.diagnostics)) return { diagnostics };
  const stats = analyzeStats({ ...toAnalysisInput(workspace, experiment, fetched, look, decision, epochs.epochs), ...sliced.input });
  const notes = [
    ...(look ? [look.note] : diagnostics.filter((d) => d.code === ANALYSIS_CODES.noLookPlan.code).map((d) => d.message)),
    ...phase.diagnostics.map((d) => d.message),
    ...(epochs.note ? [epochs.note] : []),
    ...(stats.notes ?? []),
  ];
  if (notes.length) stats.notes = notes;
  const provenance = await buildProvenance({
    root: workspace.root,
    experiment,
    metrics: designs.map((d) => d.metric),
    settings: workspace.settings,
    queries: [...fetched.queries, ...sliced.queries],
    dataWindow: fetched.dataWindow,
  });
  const { experiment: key, phase: phaseNumber, method, alpha, correction, ...rest } = stats;
  const result: AnalyzeJson = {
    experiment: key,
    phase: phaseNumber,
    phase_start: phaseStart,
    method,
    alpha,
    correction,
    provenance,
    ...rest,
  };
  const power = powerReached(experiment, stats, workspace.settings.defaults.power);
  if (power) result.power = power;
  if (epochs.epochs?.length) result.bandit = epochEffects(experiment, epochs.epochs);
  const offPolicy = await evaluationsBeside(opts.warehouse, workspace, experiment, result);
  if (offPolicy.evaluations.length) result.off_policy = offPolicy.evaluations;
  diagnostics.push(...offPolicy.diagnostics);
  const interleaving = await analyzeInterleaving(opts.warehouse, workspace, experiment, { asOf: opts.asOf, phase: phase.filter });
  diagnostics.push(...interleaving.diagnostics);
  if (interleaving.json) result.interleaving = interleaving.json;
  if (experiment.type === "interleaving")
    result.decision = interleavingDecision(interleaving.json, interleavingRankers(experiment), decision);
  if (experiment.holdoutPopulation) result.holdout = holdoutJson(experiment.holdoutPopulation, experiment, result.units, opts.asOf);
  return { result, diagnostics };
}

function interleavingRankers(experiment: Experiment): [string, string] {
  const [a, b] = experiment.rankers ?? experiment.variants.map((v) => v.key);
  return [a ?? experiment.control, b ?? experiment.control];
}
