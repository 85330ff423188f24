import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { HOLDOUT_GROUPS } from "../compiler/sql/blocks/holdout-units.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { ANALYSIS_CODES } from "./codes.js";

const BASIS_POINTS = 10000;

/**
 * `exp analyze --holdout <key>` (docs/analysis.md#holdouts) as an ordinary two-group analysis: the
 * holdout's members are the control, everyone else seen in the events the treatment, with the holdout's
 * traffic as their weights (so SRM checks the split the runtime made). The metrics are the ones asked
 * for, else the primary metrics of the running experiments; `since` starts the window (default: all
 * events before the as-of time). No CUPED: a unit's first event is its
 * "exposure", so it has no pre-period.
 */
export function holdoutComparison(
  ws: Workspace,
  key: string,
  metrics?: readonly string[],
  since?: string,
): { experiment?: Experiment; diagnostics: Diagnostic[] } {
  const holdout = ws.holdouts.get(key);
  if (!holdout) {
    const known = [...ws.holdouts.keys()];
    const d = diagnostic(
      ANALYSIS_CODES.unknownHoldout,
      `There is no holdout "${key}"; pick one of layers.yaml holdouts (${known.map((k) => `"${k}"`).join(", ") || "none declared"}).`,
      { suggestion: didYouMean(key, known) },
    );
    return { diagnostics: [d] };
  }
  const running = [...ws.experiments.values()].filter((e) => e.status === "running").sort((a, b) => a.key.localeCompare(b.key));
  const chosen = [...new Set(metrics ?? running.flatMap((e) => e.metrics.primary))].filter((m) => ws.metrics.has(m) || metrics);
  if (chosen.length === 0) {
    const d = diagnostic(
      ANALYSIS_CODES.unknownHoldout,
      `No metric to compare holdout "${key}" on: no running experiment has a primary metric; name them with --metrics.`,
    );
    return { diagnostics: [d] };
  }
  const trafficBp = Math.max(0, Math.min(BASIS_POINTS, Math.round(holdout.traffic * BASIS_POINTS)));
  const d = ws.settings.defaults;
  return {
    diagnostics: [],
    experiment: {
      key: `holdout-${key}`,
      name: `Holdout ${key}`,
      ...(holdout.description ? { description: holdout.description } : {}),
      type: "ab",
      status: "running",
      phase: 1,
      unit: ws.settings.units[0]!,
      traffic: 1,
      exposure: "on_assignment",
      schedule: {},
      variants: [
        { key: HOLDOUT_GROUPS.held, weight: trafficBp },
        { key: HOLDOUT_GROUPS.shipped, weight: BASIS_POINTS - trafficBp },
      ],
      control: HOLDOUT_GROUPS.held,
      holdout: false,
      holdoutPopulation: { key, trafficBp, ...(since !== undefined ? { since } : {}) },
      metrics: { primary: chosen, secondary: [], guardrails: [] },
      analysis: { method: "fixed", alpha: d.alpha, correction: d.correction, cuped: false },
      power: {},
      origin: holdout.origin,
    },
  };
}

/**
 * The analysis document's `holdout` field (docs/analysis.md#holdouts): what a holdout comparison compared,
 * so a reader of the JSON or the report does not mistake it for an experiment.
 */
export interface HoldoutJson {
  key: string;
  /** The share of traffic the holdout keeps out of experiments and rollouts that honour holdouts. */
  traffic: number;
  population: {
    definition: string;
    /** Null: every event before `as_of`. */
    since: string | null;
    /** Null: every event up to the analysis. */
    as_of: string | null;
  };
  units: { holdout: number; everyone_else: number };
  metrics: string[];
}

/** The `holdout` field for a comparison built by holdoutComparison, from its analysed unit counts. */
export function holdoutJson(
  population: NonNullable<Experiment["holdoutPopulation"]>,
  experiment: Experiment,
  units: Record<string, number>,
  asOf: string | undefined,
): HoldoutJson {
  return {
    key: population.key,
    traffic: population.trafficBp / BASIS_POINTS,
    population: {
      definition: "units with at least one event in [since, as_of)",
      since: population.since ?? null,
      as_of: asOf ?? null,
    },
    units: { holdout: units[HOLDOUT_GROUPS.held] ?? 0, everyone_else: units[HOLDOUT_GROUPS.shipped] ?? 0 },
    metrics: [...experiment.metrics.primary],
  };
}
